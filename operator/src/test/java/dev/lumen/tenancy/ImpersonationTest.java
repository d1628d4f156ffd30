package dev.lumen.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.cli.OperatorRun;
import dev.lumen.clock.VirtualClock;
import dev.lumen.gcp.CloudMonitoringMetricSource;
import dev.lumen.gcp.CloudRunAdminServices;
import dev.lumen.gcp.GoogleClientConfig;
import dev.lumen.gcp.GoogleIdentities;
import dev.lumen.ports.FakeCloudRun;
import dev.lumen.ports.FakeMetrics;
import dev.lumen.reconciler.Pacing;
import dev.lumen.reconciler.ReadyConditions;
import dev.lumen.runtime.LumenOperator;
import dev.lumen.runtime.OperatorSettings;
import dev.lumen.testkit.Await;
import dev.lumen.testkit.google.CallerLog;
import dev.lumen.testkit.google.CloudRunGrpcFake;
import dev.lumen.testkit.google.IamCredentialsFake;
import dev.lumen.testkit.google.MonitoringGrpcFake;
import dev.lumen.testkit.kube.EmbeddedApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each namespace's Google calls carry the identity its binding names: the real Google clients run
 * against the loopback fakes of Cloud Run and Cloud Monitoring, which note the bearer token of
 * every call, and a loopback IAM Credentials API that issues tokens only for the accounts the
 * operator was granted Token Creator on. Teams a and b share a project, each bound to its own
 * service in it; team c has a project of its own.
 */
class ImpersonationTest {
  static final Instant START = Instant.parse("2026-12-05T12:00:00Z");
  static final String ACCOUNT_A = "lumen-team-a@platform.iam.gserviceaccount.com";
  static final String ACCOUNT_B = "lumen-team-b@platform.iam.gserviceaccount.com";
  static final FakeCloudRun CLOUD_RUN = new FakeCloudRun();
  static final VirtualClock CLOCK = new VirtualClock(START);
  static IamCredentialsFake iam;
  static CloudRunGrpcFake cloudRun;
  static MonitoringGrpcFake monitoring;
  static EmbeddedApiServer api;
  static KubernetesClient client;
  static LumenOperator operator;

  @BeforeAll
  static void start() {
    iam = new IamCredentialsFake(GoogleIdentities.LOOPBACK_OPERATOR_TOKEN);
    iam.grant(ACCOUNT_A);
    iam.grant(ACCOUNT_B);
    cloudRun = new CloudRunGrpcFake(CLOUD_RUN);
    monitoring = new MonitoringGrpcFake(new FakeMetrics());
    for (String team : new String[] {"a", "b", "c"}) {
      CLOUD_RUN.create(service(team), "api-" + team + "-00001", START.minus(Duration.ofDays(1)));
    }
    api = EmbeddedApiServer.start();
    client = api.newClient();
    var identities = GoogleIdentities.loopback(iam.endpoint());
    Duration deadline = Duration.ofSeconds(5);
    var backends =
        OperatorRun.withResourceEndpoints(
            new CloudRunAdminServices(
                GoogleClientConfig.loopback(cloudRun.endpoint()).withDeadline(deadline),
                identities),
            new CloudMonitoringMetricSource(
                GoogleClientConfig.loopback(monitoring.endpoint()).withDeadline(deadline),
                identities),
            deadline,
            1,
            new SimpleMeterRegistry());
    operator =
        LumenOperator.start(
            client,
            OperatorSettings.defaults().withReconcileThreads(2).withPacing(new Pacing(60)),
            CLOCK,
            new SimpleMeterRegistry(),
            backends);
  }

  @AfterAll
  static void stop() {
    operator.close();
    client.close();
    api.close();
    cloudRun.close();
    monitoring.close();
    iam.close();
  }

  @Test
  void everyNamespacesCallsActAsItsOwnAccountAndAnAccountIamRefusesStopsOnlyItsNamespace() {
    for (String team : new String[] {"a", "b", "c"}) {
      apply(null, binding(team));
      apply("team-" + team, resource("LumenPolicy", team));
      apply("team-" + team, resource("SLOTarget", team));
    }

    ReadyConditions.await(client, LumenPolicy.class, "team-a", "api", Condition.Status.True);
    ReadyConditions.await(client, LumenPolicy.class, "team-b", "api", Condition.Status.True);
    Condition refused =
        ReadyConditions.await(client, LumenPolicy.class, "team-c", "api", Condition.Status.False);
    assertThat(refused.message())
        .contains("UNAUTHENTICATED")
        .contains("iam.serviceAccounts.getAccessToken' denied");
    // Minutes go by with both teams watching the shared project: every read is a new window.
    monitoring.callers().clear();
    for (int minute = 0; minute < 5; minute++) {
      CLOCK.advance(Duration.ofMinutes(1));
      Await.until(
          () -> identities(monitoring.callers()),
          seen -> seen.size() == 2,
          "Cloud Monitoring read for both teams' services");
    }

    assertThat(identities(cloudRun.callers()))
        .as("the identity of every Cloud Run call, by service")
        .containsOnly(
            Map.entry(service("a").resourceName(), Set.of(ACCOUNT_A)),
            Map.entry(service("b").resourceName(), Set.of(ACCOUNT_B)));
    assertThat(identities(monitoring.callers()))
        .as("the identity of every Cloud Monitoring read, by service it asked for")
        .containsOnly(
            Map.entry("projects/shared-prod/services/api-a", Set.of(ACCOUNT_A)),
            Map.entry("projects/shared-prod/services/api-b", Set.of(ACCOUNT_B)));
  }

  /**
   * The account each resource's calls acted as; a call without a token or with one IAM did not
   * issue shows as such.
   */
  static Map<String, Set<String>> identities(CallerLog log) {
    Map<String, Set<String>> byResource = new TreeMap<>();
    log.bearersByResource()
        .forEach(
            (resource, bearers) -> {
              Set<String> accounts = new TreeSet<>();
              for (String bearer : bearers) {
                accounts.add(
                    bearer.isEmpty()
                        ? "(no credentials)"
                        : iam.principalOf(bearer).orElse("(unknown token " + bearer + ")"));
              }
              byResource.put(resource, accounts);
            });
    return byResource;
  }

  static CloudRunServiceReference service(String team) {
    return new CloudRunServiceReference(project(team), "europe-west1", "api-" + team);
  }

  static String project(String team) {
    return team.equals("c") ? "team-c-prod" : "shared-prod";
  }

  static String binding(String team) {
    return """
        apiVersion: lumen.dev/v1alpha1
        kind: LumenProjectBinding
        metadata: {name: team-%1$s}
        spec:
          namespaces: [team-%1$s]
          projects: [%2$s]
          services: [api-%1$s]
          googleServiceAccount: lumen-team-%1$s@platform.iam.gserviceaccount.com
        """
        .formatted(team, project(team));
  }

  static String resource(String kind, String team) {
    String rest =
        kind.equals("SLOTarget")
            ? "  objectives: [{name: availability, availability: {target: \"99.5\"}}]\n"
            : "  mode: DryRun\n";
    return """
        apiVersion: lumen.dev/v1alpha1
        kind: %s
        metadata: {name: api}
        spec:
          service: {cloudRun: {project: %s, region: europe-west1, name: api-%s}}
        """
            .formatted(kind, project(team), team)
        + rest;
  }

  static void apply(String namespace, String yaml) {
    Manifests.create(client, namespace, yaml);
  }
}
