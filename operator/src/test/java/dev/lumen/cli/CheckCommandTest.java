package dev.lumen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.HealthStatus;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.api.v1alpha1.SLOTargetStatus;
import dev.lumen.api.v1alpha1.SLOTargetStatus.SloState;
import dev.lumen.engine.measure.RequestCounts;
import dev.lumen.ports.FakeMetrics;
import dev.lumen.testkit.CommandRun;
import dev.lumen.testkit.google.MonitoringGrpcFake;
import dev.lumen.testkit.kube.EmbeddedApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** lumen check: each verdict as an exit code, from a cluster's status and from files. */
class CheckCommandTest {
  static final ObjectMapper JSON = new ObjectMapper();

  EmbeddedApiServer api;
  KubernetesClient client;
  @TempDir Path dir;

  @BeforeEach
  void start() {
    api = EmbeddedApiServer.start();
    client = api.newClient();
  }

  @AfterEach
  void stop() {
    client.close();
    api.close();
  }

  CommandRun check(String... args) {
    return CommandRun.of(
        LumenCommand.withExitCodes(
            new CommandLine(new CheckCommand(kubeconfig -> api.newClient())), e -> false),
        args);
  }

  @ParameterizedTest(name = "SLOTarget {0}: exit {1}")
  @CsvSource({"Healthy, 0", "Warning, 1", "Critical, 2", "NoData, 3"})
  void anSloTargetsStateIsTheExitCode(SloState state, int code) {
    sloTarget("shop", "checkout", state, true);

    CommandRun run = check("-n", "shop");

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(code);
    assertThat(run.out()).contains("SLOTarget").contains("checkout").contains(state.name());
  }

  @ParameterizedTest(name = "LumenPolicy {0}: exit {1}")
  @CsvSource({"Excellent, 0", "Good, 0", "Fair, 1", "Poor, 2"})
  void aPolicysHealthGradeIsTheExitCode(HealthStatus.Grade grade, int code) {
    policy("shop", "checkout", grade);

    assertThat(check("-n", "shop").exitCode()).isEqualTo(code);
  }

  @Test
  void theWorstVerdictWinsAndJsonSaysWhatEachResourceIs() throws Exception {
    sloTarget("shop", "checkout", SloState.Healthy, true);
    sloTarget("shop", "search", SloState.Critical, true);
    policy("shop", "checkout", HealthStatus.Grade.Fair);
    sloTarget("other", "elsewhere", SloState.Healthy, true);

    CommandRun run = check("-n", "shop", "--json");

    assertThat(run.exitCode()).isEqualTo(2);
    var document = JSON.readTree(run.out());
    assertThat(document.get("verdict").asText()).isEqualTo("critical");
    assertThat(document.get("exitCode").asInt()).isEqualTo(2);
    assertThat(document.get("resources")).hasSize(3);
    assertThat(document.get("resources").findValuesAsText("name"))
        .containsExactlyInAnyOrder("checkout", "search", "checkout");
    var search = document.get("resources").get(1);
    assertThat(search.get("verdict").asText()).isEqualTo("critical");
    assertThat(search.get("detail").asText()).contains("not met: availability (97.1 against 99.5)");

    assertThat(check("-A", "--kind", "slotarget").out())
        .contains("elsewhere")
        .doesNotContain("Fair");
  }

  @Test
  void aResourceNotReadyOrNotYetEvaluatedCannotBeJudged() {
    sloTarget("shop", "checkout", SloState.Healthy, false);

    CommandRun run = check("-n", "shop");

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.out()).contains("not Ready: InvalidSpec");
    assertThat(check("-n", "empty").exitCode()).as("nothing to check").isEqualTo(3);
  }

  @Test
  void withoutAClusterAnSloTargetFileIsMeasuredStraightFromCloudMonitoring() throws Exception {
    var metrics = new FakeMetrics();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    for (int m = 1; m <= 120; m++) {
      Instant minute = now.minus(Duration.ofMinutes(m)).plusSeconds(30);
      metrics.record(
          new FakeMetrics.Point(
              "shop-prod",
              "europe-west1",
              "checkout",
              "checkout-00001",
              minute,
              new RequestCounts(1000, 0, 30),
              new long[FakeMetrics.LATENCY_BOUNDS.length + 1],
              60,
              0,
              1));
      metrics.record(
          new FakeMetrics.CustomPoint(
              "shop-prod", "custom.googleapis.com/checkout/queue_depth", minute, 40));
    }
    Path file = dir.resolve("slo.yaml");
    Files.writeString(
        file,
        """
        apiVersion: lumen.dev/v1alpha1
        kind: SLOTarget
        metadata: {name: checkout, namespace: shop}
        spec:
          service: {cloudRun: {project: shop-prod, region: europe-west1, name: checkout}}
          window: 1h
          objectives:
            - {name: availability, availability: {target: "99.5"}}
            - name: queue-depth
              custom:
                query: metric.type = "custom.googleapis.com/checkout/queue_depth"
                max: "100"
                aligner: ALIGN_MAX
        """);
    try (var google = new MonitoringGrpcFake(metrics)) {
      CommandRun run =
          check("--slo", file.toString(), "--monitoring-endpoint", "http://" + google.endpoint());

      assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
      assertThat(run.out())
          .contains("Critical")
          .as("the custom objective's Monitoring filter is measured and met")
          .contains("50 % of objectives met; not met: availability (97 against 99.5)")
          .doesNotContain("could not read");
    }

    int closed;
    try (var socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    CommandRun unreachable =
        check("--slo", file.toString(), "--monitoring-endpoint", "http://127.0.0.1:" + closed);
    assertThat(unreachable.exitCode()).isEqualTo(3);
    assertThat(unreachable.out()).contains("could not read");
  }

  void sloTarget(String namespace, String name, SloState state, boolean ready) {
    var target =
        load(
            """
            apiVersion: lumen.dev/v1alpha1
            kind: SLOTarget
            metadata: {name: %s, generation: 1}
            spec:
              service: {cloudRun: {project: shop-prod, region: europe-west1, name: %s}}
              objectives: [{name: availability, availability: {target: "99.5"}}]
            """
                .formatted(name, name),
            SLOTarget.class);
    var status = new SLOTargetStatus();
    status.setObservedGeneration(1L);
    status.setState(state);
    if (state != SloState.NoData) {
      boolean met = state == SloState.Healthy;
      status.setCompliance(met ? "100.0" : "0.0");
      status.setObjectives(
          List.of(
              new dev.lumen.api.v1alpha1.ObjectiveStatus(
                  "availability", met ? "99.9" : "97.1", "99.5", met, "10", List.of(), null)));
    }
    status.setConditions(List.of(ready(ready)));
    var created = client.resource(target).inNamespace(namespace).create();
    created.setStatus(status);
    client.resource(created).inNamespace(namespace).updateStatus();
  }

  void policy(String namespace, String name, HealthStatus.Grade grade) {
    var policy =
        load(
            """
            apiVersion: lumen.dev/v1alpha1
            kind: LumenPolicy
            metadata: {name: %s, generation: 1}
            spec:
              service: {cloudRun: {project: shop-prod, region: europe-west1, name: %s}}
            """
                .formatted(name, name),
            LumenPolicy.class);
    var status = new LumenPolicyStatus();
    status.setObservedGeneration(1L);
    status.setHealth(new HealthStatus("60.0", grade));
    status.setConditions(List.of(ready(true)));
    var created = client.resource(policy).inNamespace(namespace).create();
    created.setStatus(status);
    client.resource(created).inNamespace(namespace).updateStatus();
  }

  static Condition ready(boolean ready) {
    return new Condition(
        "Ready",
        ready ? Condition.Status.True : Condition.Status.False,
        1L,
        "2026-12-05T10:00:00Z",
        ready ? "Accepted" : "InvalidSpec",
        ready ? "Spec accepted" : "spec.window: invalid value");
  }

  <T> T load(String yaml, Class<T> type) {
    return client
        .getKubernetesSerialization()
        .unmarshal(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), type);
  }
}
