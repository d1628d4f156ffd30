package dev.lumen.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.clock.VirtualClock;
import dev.lumen.ports.Backends;
import dev.lumen.ports.FakeCloudRun;
import dev.lumen.ports.FakeMetrics;
import dev.lumen.ports.HttpEndpoint;
import dev.lumen.ports.InMemoryCacheStore;
import dev.lumen.runtime.LumenOperator;
import dev.lumen.runtime.OperatorSettings;
import dev.lumen.tenancy.Tenancy;
import dev.lumen.testkit.Await;
import dev.lumen.testkit.kube.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real reconcilers on java-operator-sdk against the embedded API server. */
class ReconcilersTest {
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  static final String SERVICE =
      "  service: {cloudRun: {project: my-project, region: us-central1, name: ion-api}}\n";

  static EmbeddedApiServer api;
  static KubernetesClient client;
  static LumenOperator operator;
  static final VirtualClock CLOCK = new VirtualClock(START);
  static final FakeCloudRun CLOUD_RUN = new FakeCloudRun();
  static final InMemoryCacheStore CACHE = new InMemoryCacheStore();

  /** The Prometheus endpoints resources asked for, with their credentials. */
  static final Set<HttpEndpoint> PROMETHEUS_ENDPOINTS = ConcurrentHashMap.newKeySet();

  @BeforeAll
  static void startOperator() {
    ensureService(new CloudRunServiceReference("my-project", "us-central1", "ion-api"));
    api = EmbeddedApiServer.start();
    client = api.newClient();
    var settings =
        // These cases are about one team's resources; TenancyTest is about bindings.
        OperatorSettings.defaults()
            .withTenancy(Tenancy.Mode.single_team)
            .withReconcileThreads(4)
            .withSecretRecheckInterval(Duration.ofMillis(300));
    operator =
        LumenOperator.start(
            client,
            settings,
            CLOCK,
            new SimpleMeterRegistry(),
            new Backends(
                CLOUD_RUN,
                new FakeMetrics(),
                url -> CACHE,
                endpoint -> {
                  PROMETHEUS_ENDPOINTS.add(endpoint);
                  return new FakeMetrics();
                }));
  }

  /** The Cloud Run service a sample steers or measures. */
  static Optional<CloudRunServiceReference> serviceOf(HasMetadata item) {
    var serialization = client.getKubernetesSerialization();
    if ("LumenPolicy".equals(item.getKind())) {
      return Optional.of(
          serialization.convertValue(item, LumenPolicy.class).getSpec().service().cloudRun());
    }
    if ("SLOTarget".equals(item.getKind())) {
      return Optional.of(
          serialization.convertValue(item, SLOTarget.class).getSpec().service().cloudRun());
    }
    return Optional.empty();
  }

  static void ensureService(CloudRunServiceReference ref) {
    if (CLOUD_RUN.find(ref.resourceName()).isEmpty()) {
      CLOUD_RUN.create(ref, ref.name() + "-00001", START.minus(Duration.ofDays(1)));
    }
  }

  @AfterAll
  static void stopOperator() {
    operator.close();
    client.close();
    api.close();
  }

  @Test
  void everySampleBecomesReady() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(Path.of(System.getProperty("lumen.samples.dir")))) {
      // Scenarios are the simulator's; their resources are applied by the scenario tests.
      files =
          walk.filter(p -> p.toString().endsWith(".yaml"))
              .filter(p -> !p.getParent().getFileName().toString().equals("scenarios"))
              .sorted()
              .toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(6);
    int lumenResources = 0;
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        for (HasMetadata item : client.load(in).items()) {
          serviceOf(item).ifPresent(ReconcilersTest::ensureService);
          client.resource(item).inNamespace("samples").create();
          if (item.getApiVersion().startsWith("lumen.dev/")) {
            lumenResources++;
          }
        }
      }
    }
    assertThat(lumenResources).isEqualTo(6);

    for (var target : client.resources(SLOTarget.class).inNamespace("samples").list().getItems()) {
      Condition ready =
          awaitReady(
              SLOTarget.class, "samples", target.getMetadata().getName(), Condition.Status.True);
      assertThat(ready.reason()).isEqualTo(Conditions.REASON_ACCEPTED);
    }
    for (var policy :
        client.resources(LumenPolicy.class).inNamespace("samples").list().getItems()) {
      Condition ready =
          awaitReady(
              LumenPolicy.class, "samples", policy.getMetadata().getName(), Condition.Status.True);
      assertThat(ready.reason()).isEqualTo(Conditions.REASON_ACCEPTED);
    }
    var alertmanager =
        client
            .resources(LumenPolicy.class)
            .inNamespace("samples")
            .withName("checkout")
            .get()
            .getSpec()
            .notifications()
            .alertmanager();
    assertThat(
            new ClusterReferences((namespace, name) -> false, client)
                .authorization("samples", alertmanager.auth()))
        .as("basic authentication: the user from spec, the password from its Secret")
        .hasValue(
            "Basic "
                + Base64.getEncoder()
                    .encodeToString("lumen:replace-me".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void policyWaitsForItsSloTargetAndBecomesReadyWhenItAppears() {
    create(policy("waiting", "  sloTargets: [late]\n"), "refs");

    Condition notReady = awaitReady(LumenPolicy.class, "refs", "waiting", Condition.Status.False);
    assertThat(notReady.reason()).isEqualTo(Conditions.REASON_SLO_TARGET_NOT_FOUND);
    assertThat(notReady.message())
        .isEqualTo(
            "spec.sloTargets[0]: SLOTarget \"late\" does not exist in namespace \"refs\"; create"
                + " it or remove it from spec.sloTargets");

    create(sloTarget("late", "  objectives: [{name: availability, availability: {}}]\n"), "refs");

    awaitReady(LumenPolicy.class, "refs", "waiting", Condition.Status.True);
  }

  @Test
  void aPrometheusSourceIsQueriedWithTheTokenOfItsSecret() {
    ensureService(new CloudRunServiceReference("shop-prod", "europe-west1", "promsvc"));
    create(
        "apiVersion: v1\nkind: Secret\nmetadata: {name: prometheus-reader}\n"
            + "stringData: {token: pr0m-t0ken}\n---\n"
            + "apiVersion: lumen.dev/v1alpha1\nkind: SLOTarget\nmetadata: {name: promsvc}\n"
            + "spec:\n"
            + "  service: {cloudRun: {project: shop-prod, region: europe-west1, name: promsvc}}\n"
            + "  source:\n"
            + "    prometheus:\n"
            + "      url: http://prometheus.monitoring:9090\n"
            + "      auth: {bearerTokenSecretRef: {name: prometheus-reader, key: token}}\n"
            + "  objectives:\n"
            + "    - {name: phase, custom: {query: 'avg(ion_phase_diff)', max: \"0.9\"}}\n",
        "prom");

    awaitReady(SLOTarget.class, "prom", "promsvc", Condition.Status.True);
    assertThat(PROMETHEUS_ENDPOINTS)
        .as("the SLOTarget's Prometheus, with the token of its Secret")
        .contains(
            new HttpEndpoint(
                URI.create("http://prometheus.monitoring:9090"), Optional.of("Bearer pr0m-t0ken")));
  }

  @Test
  void policyWaitsForItsSecretAndBecomesReadyWhenItIsCreated() {
    create(
        policy(
            "notify",
            "  notifications: {slack: {webhookSecretRef: {name: slack-hooks, key: url}}}\n"),
        "secrets");

    Condition notReady = awaitReady(LumenPolicy.class, "secrets", "notify", Condition.Status.False);
    assertThat(notReady.reason()).isEqualTo(Conditions.REASON_SECRET_NOT_FOUND);
    assertThat(notReady.message())
        .startsWith(
            "spec.notifications.slack.webhookSecretRef: Secret \"slack-hooks\" does not exist in"
                + " namespace \"secrets\"");

    client
        .secrets()
        .inNamespace("secrets")
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("slack-hooks")
                .endMetadata()
                .withStringData(Map.of("url", "https://hooks.example/T0"))
                .build())
        .create();

    awaitReady(LumenPolicy.class, "secrets", "notify", Condition.Status.True);
  }

  @Test
  void aSecondPolicyForAManagedServiceIsRefusedUntilTheFirstIsGone() {
    create(policy("shared", "  mode: DryRun\n"), "owner-a");
    awaitReady(LumenPolicy.class, "owner-a", "shared", Condition.Status.True);
    create(policy("shared", "  mode: Enforce\n"), "owner-b");

    Condition refused = awaitReady(LumenPolicy.class, "owner-b", "shared", Condition.Status.False);
    assertThat(refused.reason()).isEqualTo(Conditions.REASON_SERVICE_ALREADY_MANAGED);
    assertThat(refused.message())
        .isEqualTo(
            "spec.service.cloudRun: projects/my-project/locations/us-central1/services/shared is"
                + " already managed by LumenPolicy owner-a/shared, which keeps control; delete one"
                + " of the two, or point this one at another service");
    assertThat(readyOf(LumenPolicy.class, "owner-a", "shared").orElseThrow().status())
        .isEqualTo(Condition.Status.True);

    client.resources(LumenPolicy.class).inNamespace("owner-a").withName("shared").delete();
    awaitReady(LumenPolicy.class, "owner-b", "shared", Condition.Status.True);
  }

  @Test
  void invalidSpecsAreReportedWithFieldAndFix() {
    create(
        sloTarget(
            "dupes", "  objectives: [{name: a, availability: {}}, {name: a, errorRate: {}}]\n"),
        "invalid");
    create(
        policy("short", "  rollout: {steps: [{weight: 10, pause: 10m}, {weight: 50}]}\n"),
        "invalid");

    Condition dupes = awaitReady(SLOTarget.class, "invalid", "dupes", Condition.Status.False);
    assertThat(dupes.reason()).isEqualTo(Conditions.REASON_INVALID_SPEC);
    assertThat(dupes.message())
        .isEqualTo(
            "spec.objectives[1].name: \"a\" is already the name of spec.objectives[0]; objective"
                + " names must be unique, rename one of them");
    Condition shortRollout =
        awaitReady(LumenPolicy.class, "invalid", "short", Condition.Status.False);
    assertThat(shortRollout.reason()).isEqualTo(Conditions.REASON_INVALID_SPEC);
    assertThat(shortRollout.message())
        .isEqualTo(
            "spec.rollout.steps: the last step must be {weight: 100}: a rollout ends with all"
                + " traffic on the canary");
  }

  @Test
  void conditionsFollowGenerationsAndKeepTransitionTimeWhileStatusHolds() {
    create(sloTarget("gen", "  objectives: [{name: a, availability: {}}]\n"), "generations");
    Condition first = awaitReady(SLOTarget.class, "generations", "gen", Condition.Status.True);
    assertThat(first.observedGeneration()).isEqualTo(1L);
    Instant firstTransition = Instant.parse(first.lastTransitionTime());

    CLOCK.advance(Duration.ofMinutes(5));
    edit("gen", "7d");
    Condition second = awaitGeneration("gen", 2L);
    assertThat(second.status()).isEqualTo(Condition.Status.True);
    assertThat(Instant.parse(second.lastTransitionTime())).isEqualTo(firstTransition);
    assertThat(currentStatusGeneration("gen")).isEqualTo(2L);

    CLOCK.advance(Duration.ofMinutes(5));
    edit("gen", "500d");
    Condition third = awaitGeneration("gen", 3L);
    assertThat(third.status()).isEqualTo(Condition.Status.False);
    assertThat(third.message()).startsWith("spec.window: invalid value \"500d\"");
    assertThat(Instant.parse(third.lastTransitionTime()))
        .isEqualTo(firstTransition.plus(Duration.ofMinutes(10)));
  }

  /**
   * Changes the window as a person would: read, change, write back; a write that meets the
   * operator's status update in between (409) is tried again on the newer version.
   */
  private void edit(String name, String window) {
    for (int attempt = 1; ; attempt++) {
      try {
        editOnce(name, window);
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
  }

  private void editOnce(String name, String window) {
    client
        .resources(SLOTarget.class)
        .inNamespace("generations")
        .withName(name)
        .edit(
            t -> {
              var spec = t.getSpec();
              t.setSpec(
                  new dev.lumen.api.v1alpha1.SLOTargetSpec(
                      spec.service(),
                      spec.source(),
                      window,
                      spec.evaluationInterval(),
                      spec.objectives(),
                      spec.notifications()));
              return t;
            });
  }

  private Condition awaitGeneration(String name, long generation) {
    return Await.until(
            () -> readyOf(SLOTarget.class, "generations", name),
            c -> c.isPresent() && c.get().observedGeneration() == generation,
            "Ready of generation " + generation)
        .orElseThrow();
  }

  private Long currentStatusGeneration(String name) {
    return client
        .resources(SLOTarget.class)
        .inNamespace("generations")
        .withName(name)
        .get()
        .getStatus()
        .getObservedGeneration();
  }

  /** A policy of its own service (named like it): one policy steers a service. */
  static String policy(String name, String extra) {
    ensureService(new CloudRunServiceReference("my-project", "us-central1", name));
    return "apiVersion: lumen.dev/v1alpha1\nkind: LumenPolicy\nmetadata: {name: "
        + name
        + "}\nspec:\n"
        + "  service: {cloudRun: {project: my-project, region: us-central1, name: "
        + name
        + "}}\n"
        + extra;
  }

  static String sloTarget(String name, String extra) {
    return "apiVersion: lumen.dev/v1alpha1\nkind: SLOTarget\nmetadata: {name: "
        + name
        + "}\nspec:\n"
        + SERVICE
        + extra;
  }

  static void create(String yaml, String namespace) {
    for (HasMetadata item :
        client.load(new java.io.ByteArrayInputStream(yaml.getBytes())).items()) {
      client.resource(item).inNamespace(namespace).create();
    }
  }

  static <T extends HasMetadata> Condition awaitReady(
      Class<T> kind, String namespace, String name, Condition.Status status) {
    return ReadyConditions.await(client, kind, namespace, name, status);
  }

  static <T extends HasMetadata> Optional<Condition> readyOf(
      Class<T> kind, String namespace, String name) {
    return ReadyConditions.of(client, kind, namespace, name);
  }
}
