package dev.lumen.reconciler.slotarget;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.clock.VirtualClock;
import dev.lumen.gcp.CloudMonitoringObjectStore;
import dev.lumen.gcp.GoogleClientConfig;
import dev.lumen.gcp.GoogleIdentities;
import dev.lumen.ports.FakeCloudRun;
import dev.lumen.ports.FakeMetrics;
import dev.lumen.ports.FakeMonitoringObjects;
import dev.lumen.ports.InMemoryBackends;
import dev.lumen.ports.InMemoryCacheStore;
import dev.lumen.ports.MonitoringObjectStore.Kind;
import dev.lumen.reconciler.Pacing;
import dev.lumen.runtime.LumenOperator;
import dev.lumen.runtime.OperatorSettings;
import dev.lumen.testkit.Await;
import dev.lumen.testkit.google.MonitoringObjectsGrpcFake;
import dev.lumen.testkit.kube.EmbeddedApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator with --cloud-monitoring-objects, end to end: a real operator on the embedded API
 * server keeps an SLOTarget's objects through the real Cloud Monitoring clients in the loopback
 * fake of the three APIs, which holds them to the APIs' rules.
 */
class MonitoringObjectsSyncIT {
  static final Instant START = Instant.parse("2026-12-05T12:00:00Z");
  static final String NAMESPACE = "shop";
  static final String PROJECT = "projects/shop-prod";

  final VirtualClock clock = new VirtualClock(START);
  final FakeMonitoringObjects objects = new FakeMonitoringObjects();
  final MonitoringObjectsGrpcFake google = new MonitoringObjectsGrpcFake(objects);
  EmbeddedApiServer api;
  KubernetesClient client;
  LumenOperator operator;

  dev.lumen.ports.Backends backends;

  @BeforeEach
  void start() {
    var cloudRun = new FakeCloudRun();
    cloudRun.create(
        new dev.lumen.api.v1alpha1.CloudRunServiceReference(
            "shop-prod", "europe-west1", "checkout"),
        "checkout-00001",
        START.minus(Duration.ofDays(1)));
    api = EmbeddedApiServer.start();
    client = api.newClient();
    backends =
        InMemoryBackends.of(cloudRun, new FakeMetrics(), new InMemoryCacheStore())
            .withMonitoringObjects(
                new CloudMonitoringObjectStore(
                    GoogleClientConfig.loopback(google.endpoint())
                        .withDeadline(Duration.ofSeconds(5)),
                    GoogleIdentities.none()));
    operator = operator(dev.lumen.tenancy.Tenancy.Mode.single_team);
  }

  LumenOperator operator(dev.lumen.tenancy.Tenancy.Mode tenancy) {
    return LumenOperator.start(
        client,
        OperatorSettings.defaults()
            .withReconcileThreads(2)
            .withPacing(new Pacing(60))
            .withTenancy(tenancy),
        clock,
        new SimpleMeterRegistry(),
        backends);
  }

  @AfterEach
  void stop() {
    operator.close();
    client.close();
    api.close();
    google.close();
  }

  @Test
  void objectsFollowTheSloTargetFromCreationThroughEditsAndHandEditsToDeletion() {
    // Someone's own policy, with the display name Lumen will give one of its own.
    objects.create(
        Kind.ALERT_POLICY,
        PROJECT,
        Optional.empty(),
        "{\"displayName\":\"Lumen shop/checkout: availability burns its error budget (page, 1h/5m)\","
            + "\"userLabels\":{\"team\":\"payments\"}}");
    apply(sloTarget("99.9"));

    Condition synced = awaitSynced(c -> c.status() == Condition.Status.True);
    assertThat(synced.reason()).isEqualTo(MonitoringObjectsPublisher.REASON_SYNCED);
    assertThat(synced.message())
        .startsWith("In project shop-prod: 1 Service, 2 SLOs, 8 alert policies, 1 dashboard")
        .contains("no SLO for cache: a cache hit rate counts hits");
    assertThat(objects.all(Kind.SERVICE))
        .containsOnlyKeys(PROJECT + "/services/lumen-shop-checkout");
    assertThat(objects.all(Kind.SERVICE_LEVEL_OBJECTIVE)).hasSize(2);
    assertThat(objects.all(Kind.ALERT_POLICY)).hasSize(9);
    assertThat(objects.all(Kind.DASHBOARD)).hasSize(1);
    assertThat(sloTargetNow().getMetadata().getFinalizers())
        .contains("lumen.dev/monitoring-objects");
    var policyNames = ours(Kind.ALERT_POLICY).keySet();

    // A spec edit changes the SLO's goal in place: same names, no new objects.
    apply(sloTarget("99.5"));
    Await.until(
        () -> goal("availability"),
        g -> g == 0.995,
        "the availability SLO's goal to follow the edit");
    assertThat(ours(Kind.ALERT_POLICY).keySet()).isEqualTo(policyNames);

    // A hand edit of a policy is repaired once the recheck is due.
    String edited = policyNames.iterator().next();
    objects.edit(Kind.ALERT_POLICY, edited, p -> p.put("displayName", "muted by hand"));
    clock.advance(MonitoringObjectsPublisher.RECHECK.plusMinutes(1));
    Await.until(
        () -> objects.all(Kind.ALERT_POLICY).get(edited).path("displayName").asText(),
        name -> name.startsWith("Lumen shop/checkout"),
        "the hand-edited policy to be repaired");

    // Deleted: its objects go, the finalizer lets it go, the foreign policy stays.
    client.resources(SLOTarget.class).inNamespace(NAMESPACE).withName("checkout").delete();
    Await.until(
        () -> client.resources(SLOTarget.class).inNamespace(NAMESPACE).withName("checkout").get(),
        t -> t == null,
        "the SLOTarget to be gone once its objects are deleted");
    assertThat(objects.all(Kind.SERVICE)).isEmpty();
    assertThat(objects.all(Kind.SERVICE_LEVEL_OBJECTIVE)).isEmpty();
    assertThat(objects.all(Kind.DASHBOARD)).isEmpty();
    assertThat(objects.all(Kind.ALERT_POLICY).values())
        .singleElement()
        .satisfies(
            p -> assertThat(p.path("userLabels").path("team").asText()).isEqualTo("payments"));
  }

  @Test
  void aProjectTheIdentityMayNotChangeIsReportedWithTheRoleItNeeds() {
    objects.deny("shop-prod");
    apply(sloTarget("99.9"));

    Condition refused = awaitSynced(c -> c.status() == Condition.Status.False);

    assertThat(refused.reason()).isEqualTo(MonitoringObjectsPublisher.REASON_PERMISSION_DENIED);
    assertThat(refused.message()).contains("roles/monitoring.editor on project shop-prod");
    // Measuring goes on: only the objects are refused.
    assertThat(sloTargetNow().getStatus().getState()).isNotNull();
  }

  /**
   * The mock API server applies no schema defaults, as a real one would: a spec without a window
   * must still be deleted with its objects (the old finalizer read the missing window and failed
   * the reconcile on every retry, holding the SLOTarget for ever).
   */
  @Test
  void anSloTargetWrittenWithoutDefaultsIsDeletedWithItsObjects() {
    apply(sloTarget("99.9").replace("  window: 28d\n", ""));
    awaitSynced(c -> c.status() == Condition.Status.True);
    assertThat(objects.all(Kind.SERVICE)).hasSize(1);

    client.resources(SLOTarget.class).inNamespace(NAMESPACE).withName("checkout").delete();

    Await.until(
        () -> client.resources(SLOTarget.class).inNamespace(NAMESPACE).withName("checkout").get(),
        t -> t == null,
        "the SLOTarget without a window in its spec to be gone");
    assertThat(objects.all(Kind.SERVICE)).isEmpty();
    assertThat(objects.all(Kind.SERVICE_LEVEL_OBJECTIVE)).isEmpty();
  }

  @Test
  void aMetricsProjectTheNamespaceIsNotBoundToGetsNoObjects() {
    operator.close();
    operator = operator(dev.lumen.tenancy.Tenancy.Mode.bound);
    client
        .resource(
            """
        apiVersion: lumen.dev/v1alpha1
        kind: LumenProjectBinding
        metadata: {name: shop}
        spec:
          namespaces: [shop]
          projects: [shop-prod]
        """)
        .create();
    apply(
        sloTarget("99.9")
            .replace(
                "  window: 28d\n",
                "  window: 28d\n  source: {cloudMonitoring: {project: other-observability}}\n"));

    Condition refused = awaitSynced(c -> c.status() == Condition.Status.False);

    assertThat(refused.reason()).isEqualTo(MonitoringObjectsPublisher.REASON_PROJECT_NOT_BOUND);
    assertThat(refused.message()).startsWith("spec.source.cloudMonitoring.project: ");
    assertThat(objects.all(Kind.SERVICE)).isEmpty();
    assertThat(objects.calls("create")).isZero();
  }

  Condition awaitSynced(java.util.function.Predicate<Condition> done) {
    return Await.until(
        () ->
            Optional.ofNullable(sloTargetNow())
                .map(SLOTarget::getStatus)
                .flatMap(
                    s ->
                        s.getConditions().stream()
                            .filter(c -> c.type().equals(Conditions.MONITORING_OBJECTS_SYNCED))
                            .findFirst())
                .filter(done)
                .orElse(null),
        c -> c != null,
        "the MonitoringObjectsSynced condition");
  }

  SLOTarget sloTargetNow() {
    return client.resources(SLOTarget.class).inNamespace(NAMESPACE).withName("checkout").get();
  }

  Map<String, JsonNode> ours(Kind kind) {
    var all = new java.util.TreeMap<>(objects.all(kind));
    all.values().removeIf(o -> !o.path("userLabels").path("managed-by").asText().equals("lumen"));
    return all;
  }

  double goal(String objective) {
    JsonNode slo =
        objects
            .all(Kind.SERVICE_LEVEL_OBJECTIVE)
            .get(PROJECT + "/services/lumen-shop-checkout/serviceLevelObjectives/" + objective);
    return slo == null ? -1 : slo.path("goal").asDouble();
  }

  /**
   * Creates the SLOTarget, or gives the one there this spec (the mock has no server-side apply).
   */
  void apply(String yaml) {
    SLOTarget wanted = client.getKubernetesSerialization().unmarshal(yaml, SLOTarget.class);
    var resource = client.resources(SLOTarget.class).inNamespace(NAMESPACE).withName("checkout");
    if (resource.get() == null) {
      client.resources(SLOTarget.class).inNamespace(NAMESPACE).resource(wanted).create();
    } else {
      resource.edit(
          t -> {
            t.setSpec(wanted.getSpec());
            return t;
          });
    }
  }

  static String sloTarget(String availability) {
    return """
        apiVersion: lumen.dev/v1alpha1
        kind: SLOTarget
        metadata: {name: checkout}
        spec:
          service: {cloudRun: {project: shop-prod, region: europe-west1, name: checkout}}
          window: 28d
          objectives:
            - {name: availability, severity: Critical, availability: {target: "%s"}}
            - {name: latency, latency: {percentile: 95, threshold: 300ms}}
            - {name: cache, cacheHitRate: {min: "80"}}
        """
        .formatted(availability);
  }
}
