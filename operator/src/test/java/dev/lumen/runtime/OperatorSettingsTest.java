package dev.lumen.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.ports.FakeCloudRun;
import dev.lumen.ports.FakeMetrics;
import dev.lumen.ports.InMemoryBackends;
import dev.lumen.ports.InMemoryCacheStore;
import dev.lumen.testkit.Await;
import dev.lumen.testkit.kube.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Leader election, a namespace list and JOSDK's metrics, on the real operator. */
class OperatorSettingsTest {
  static final String SLO_TARGET =
      """
      apiVersion: lumen.dev/v1alpha1
      kind: SLOTarget
      metadata: {name: web}
      spec:
        service: {cloudRun: {project: my-project, region: us-central1, name: web}}
        objectives: [{name: availability, availability: {}}]
      """;

  @Test
  void leaderReconcilesOnlyTheWatchedNamespacesAndRecordsMetrics() throws Exception {
    var registry = new SimpleMeterRegistry();
    var settings =
        OperatorSettings.defaults()
            .withNamespaces(Set.of("watched"))
            .withLeaderElection(
                Optional.of(
                    new OperatorSettings.LeaderElection(
                        "lumen-operator", "lumen-system", "replica-a")))
            .withReconcileThreads(2);
    var cloudRun = new FakeCloudRun();
    cloudRun.create(
        new CloudRunServiceReference("my-project", "us-central1", "web"),
        "web-00001",
        Instant.parse("2026-01-01T00:00:00Z"));
    try (var api = EmbeddedApiServer.start();
        var client = api.newClient();
        var operator =
            LumenOperator.start(
                client,
                settings,
                Clock.systemUTC(),
                registry,
                InMemoryBackends.of(cloudRun, new FakeMetrics(), new InMemoryCacheStore()))) {
      for (String namespace : new String[] {"other", "watched"}) {
        client
            .load(new ByteArrayInputStream(SLO_TARGET.getBytes()))
            .inNamespace(namespace)
            .create();
      }

      Await.until(
          () -> client.resources(SLOTarget.class).inNamespace("watched").withName("web").get(),
          t -> t.getStatus() != null,
          "status of the SLOTarget in the watched namespace");
      Lease lease = client.leases().inNamespace("lumen-system").withName("lumen-operator").get();
      assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("replica-a");
      Thread.sleep(500);
      assertThat(
              client
                  .resources(SLOTarget.class)
                  .inNamespace("other")
                  .withName("web")
                  .get()
                  .getStatus())
          .as("an SLOTarget outside the watched namespaces is left alone")
          .isNull();
      assertThat(registry.getMeters())
          .extracting(m -> m.getId().getName())
          .anyMatch(name -> name.startsWith("operator.sdk.reconciliations"));
      assertThat(operator.isReady()).isTrue();
    }
  }
}
