package dev.lumen.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.DecisionRecord;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import dev.lumen.cache.RedisCacheStore;
import dev.lumen.metrics.MeteredCloudRun;
import dev.lumen.metrics.MeteredMetricSource;
import dev.lumen.ports.Backends;
import dev.lumen.reconciler.Pacing;
import dev.lumen.runtime.LumenOperator;
import dev.lumen.runtime.OperatorSettings;
import dev.lumen.sim.EmbeddedApiServer;
import dev.lumen.sim.FastClock;
import dev.lumen.sim.SimWorld.Behaviour;
import dev.lumen.sim.SimulatedGoogle;
import dev.lumen.testing.Await;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole control loop: the real operator on the embedded API server, its real Google adapters
 * over gRPC to the loopback Cloud Run and Monitoring fakes, and a simulated world whose traffic
 * follows the split Lumen sets. The clock runs 60 times faster than real time.
 */
class ControlLoopTest {
  static final double SPEED = 60;
  static final Instant START = Instant.parse("2026-03-02T10:00:00Z");
  static final Duration WAIT = Duration.ofSeconds(60);

  static FastClock clock;
  static EmbeddedApiServer api;
  static KubernetesClient client;
  static SimulatedGoogle google;
  static LumenOperator operator;
  static SimpleMeterRegistry registry;

  @BeforeAll
  static void start() {
    clock = new FastClock(START, SPEED);
    api = EmbeddedApiServer.start();
    client = api.newClient();
    google = new SimulatedGoogle(clock, 42, Duration.ofMillis(20));
    registry = new SimpleMeterRegistry();
    var deadline = Duration.ofSeconds(5);
    var backends =
        new Backends(
            new MeteredCloudRun(google.cloudRunClient(deadline), registry),
            new MeteredMetricSource(google.monitoringClient(deadline), registry, "monitoring"),
            url -> new RedisCacheStore(url, deadline, 2),
            url -> {
              throw new IllegalStateException("no Prometheus here");
            },
            url -> {
              throw new IllegalStateException("no Prometheus here");
            });
    var settings =
        OperatorSettings.defaults()
            .withReconcileThreads(4)
            .withMetricDataDelay(Duration.ofMinutes(1))
            .withPacing(new Pacing(SPEED));
    operator = LumenOperator.start(client, settings, clock, registry, backends);
  }

  @AfterAll
  static void stop() {
    for (String kind : List.of("lumenpolicy", "slotarget")) {
      var timer = registry.find("lumen.reconcile.duration").tag("kind", kind).timer();
      if (timer != null) {
        System.out.printf(
            "reconcile %s: %d runs, mean %.1f ms, max %.1f ms%n",
            kind,
            timer.count(),
            timer.mean(java.util.concurrent.TimeUnit.MILLISECONDS),
            timer.max(java.util.concurrent.TimeUnit.MILLISECONDS));
      }
    }
    operator.close();
    google.close();
    client.close();
    api.close();
  }

  static final String STEPS =
      "    steps: [{weight: 20, pause: 2m}, {weight: 50, pause: 2m}, {weight: 100}]\n";

  @Test
  void healthyCanaryWalksEveryStepAndIsPromoted() {
    var ref = service("healthy");
    apply("healthy", policy("healthy", ref, "Enforce", STEPS));
    awaitReady("healthy");

    google.world().deploy(ref, "healthy-00002", Behaviour.HEALTHY, clock.instant());

    LumenPolicyStatus status =
        awaitStatus("healthy", s -> "healthy-00002".equals(s.getStableRevision()));
    assertThat(status.getCanaryRevision()).isNull();
    assertThat(trafficChanges(ref))
        .containsExactly(
            Map.of("healthy-00001", 80, "healthy-00002", 20),
            Map.of("healthy-00001", 50, "healthy-00002", 50),
            Map.of("healthy-00002", 100));
    assertThat(condition(status, Conditions.PROGRESSING).reason()).isEqualTo("Idle");
    assertThat(status.getRecentDecisions())
        .extracting(DecisionRecord::action)
        .contains("SetTraffic", "Promoted", "RolloutStarted");
    assertThat(status.getPending()).isNull();
  }

  @Test
  void failingCanaryIsRolledBackAfterTheGracePeriod() {
    var ref = service("failing");
    apply(
        "failing", policy("failing", ref, "Enforce", STEPS + "    rollback: {gracePeriod: 2m}\n"));
    awaitReady("failing");

    google.world().deploy(ref, "failing-00002", new Behaviour(0.2, 80, 0.02), clock.instant());

    LumenPolicyStatus status =
        awaitStatus(
            "failing",
            s -> s.getRollout() != null && "failing-00002".equals(s.getRollout().failedRevision()));
    assertThat(status.getStableRevision()).isEqualTo("failing-00001");
    assertThat(trafficChanges(ref))
        .containsExactly(
            Map.of("failing-00001", 80, "failing-00002", 20), Map.of("failing-00001", 100));
    assertThat(condition(status, Conditions.DEGRADED).reason()).isEqualTo("RolledBack");
    Instant started = decisionTime(status, "SetTraffic");
    Instant rolledBack = decisionTime(status, "Rollback");
    System.out.printf(
        "reaction: canary at 20 %% at %s, rolled back at %s: %d s of clock time%n",
        started, rolledBack, Duration.between(started, rolledBack).toSeconds());
  }

  @Test
  void aHeldRollbackWaitsForThePerson() {
    var ref = service("held");
    apply("held", policy("held", ref, "Enforce", STEPS + "    rollback: {gracePeriod: 3m}\n"));
    awaitReady("held");
    google.world().deploy(ref, "held-00002", new Behaviour(0.2, 80, 0.02), clock.instant());

    awaitStatus("held", s -> s.getRollout() != null && s.getRollout().pendingRollback() != null);
    annotate("held", "lumen.dev/hold-rollback");

    LumenPolicyStatus held = awaitStatus("held", s -> Boolean.TRUE.equals(s.getRollout().held()));
    assertThat(condition(held, Conditions.ROLLBACK_PENDING).reason()).isEqualTo("RollbackHeld");
    Instant executeAfter = Instant.parse(held.getRollout().pendingRollback().executeAfter());
    Await.until(
        () -> clock.instant().isAfter(executeAfter.plus(Duration.ofMinutes(2))) ? true : null,
        WAIT,
        "the grace period to pass");
    assertThat(trafficChanges(ref)).containsExactly(Map.of("held-00001", 80, "held-00002", 20));
    assertThat(annotations("held")).doesNotContainKey("lumen.dev/hold-rollback");

    annotate("held", "lumen.dev/release-rollback");
    awaitStatus("held", s -> "held-00002".equals(s.getRollout().failedRevision()));
    assertThat(trafficChanges(ref)).last().isEqualTo(Map.of("held-00001", 100));
  }

  @Test
  void dryRunChangesNothingButReportsTheDecisions() {
    var ref = service("dry");
    apply("dry", policy("dry", ref, "DryRun", STEPS));
    awaitReady("dry");
    google.world().deploy(ref, "dry-00002", Behaviour.HEALTHY, clock.instant());

    LumenPolicyStatus status =
        awaitStatus(
            "dry",
            s ->
                s.getRecentDecisions().stream()
                    .anyMatch(
                        d -> d.action().equals("SetTraffic") && Boolean.FALSE.equals(d.applied())));
    assertThat(status.getCanaryRevision()).isEqualTo("dry-00002");
    assertThat(trafficChanges(ref)).isEmpty();
    assertThat(google.cloudRun().find(ref.resourceName()).orElseThrow().traffic())
        .isEqualTo(Map.of("dry-00001", 100));
  }

  @Test
  void anApprovalStepWaitsForTheAnnotation() {
    var ref = service("gated");
    apply(
        "gated",
        policy(
            "gated",
            ref,
            "Enforce",
            "    steps: [{weight: 20, pause: 2m}, {approval: {}}, {weight: 100}]\n"));
    awaitReady("gated");
    google.world().deploy(ref, "gated-00002", Behaviour.HEALTHY, clock.instant());

    LumenPolicyStatus waiting = awaitStatus("gated", s -> Integer.valueOf(1).equals(s.getStep()));
    assertThat(waiting.getCanaryWeight()).isEqualTo(20);
    Instant reached = clock.instant();
    Await.until(
        () -> clock.instant().isAfter(reached.plus(Duration.ofMinutes(3))) ? true : null,
        WAIT,
        "three minutes of clock time");
    assertThat(policyStatus("gated").getStep()).isEqualTo(1);

    annotate("gated", "lumen.dev/approve");
    awaitStatus("gated", s -> "gated-00002".equals(s.getStableRevision()));
    assertThat(trafficChanges(ref))
        .containsExactly(Map.of("gated-00001", 80, "gated-00002", 20), Map.of("gated-00002", 100));
    assertThat(annotations("gated")).doesNotContainKey("lumen.dev/approve");
  }

  @Test
  void trafficEditedOutsideLumenPausesThePolicy() {
    var ref = service("edited");
    apply("edited", policy("edited", ref, "Enforce", STEPS));
    awaitReady("edited");
    google.world().deploy(ref, "edited-00002", Behaviour.HEALTHY, clock.instant());
    awaitStatus("edited", s -> Integer.valueOf(20).equals(s.getCanaryWeight()));

    google.cloudRun().editTrafficOutsideLumen(ref, Map.of("edited-00001", 60, "edited-00002", 40));

    LumenPolicyStatus paused =
        awaitStatus("edited", s -> s.getRollout() != null && s.getRollout().pausedReason() != null);
    Condition progressing = condition(paused, Conditions.PROGRESSING);
    assertThat(progressing.status()).isEqualTo(Condition.Status.False);
    assertThat(progressing.reason()).isEqualTo("TrafficChangedOutsideLumen");
    assertThat(progressing.message()).contains("lumen.dev/retry");
    assertThat(trafficChanges(ref)).containsExactly(Map.of("edited-00001", 80, "edited-00002", 20));
  }

  // --- helpers ---

  static CloudRunServiceReference service(String name) {
    var ref = new CloudRunServiceReference("e2e-project", "europe-west1", name);
    google.world().addService(ref, name + "-00001", 600, START.minus(Duration.ofDays(1)));
    return ref;
  }

  static String policy(String name, CloudRunServiceReference ref, String mode, String rollout) {
    return "apiVersion: lumen.dev/v1alpha1\nkind: LumenPolicy\nmetadata: {name: "
        + name
        + "}\nspec:\n  service: {cloudRun: {project: "
        + ref.project()
        + ", region: "
        + ref.region()
        + ", name: "
        + ref.name()
        + "}}\n  mode: "
        + mode
        + "\n  rollout:\n"
        + rollout;
  }

  static void apply(String namespace, String yaml) {
    client
        .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
        .inNamespace(namespace)
        .create();
  }

  static void annotate(String name, String annotation) {
    client
        .resources(LumenPolicy.class)
        .inNamespace(name)
        .withName(name)
        .edit(
            p -> {
              p.getMetadata().getAnnotations().put(annotation, "");
              return p;
            });
  }

  static Map<String, String> annotations(String name) {
    return client
        .resources(LumenPolicy.class)
        .inNamespace(name)
        .withName(name)
        .get()
        .getMetadata()
        .getAnnotations();
  }

  static LumenPolicyStatus policyStatus(String name) {
    LumenPolicy p = client.resources(LumenPolicy.class).inNamespace(name).withName(name).get();
    return p == null ? null : p.getStatus();
  }

  static void awaitReady(String name) {
    awaitStatus(
        name,
        s ->
            s.getConditions().stream()
                .anyMatch(
                    c -> c.type().equals(Conditions.READY) && c.status() == Condition.Status.True));
  }

  /** A status that passes {@code test} once Lumen has made the changes it recorded. */
  static LumenPolicyStatus awaitStatus(String name, Predicate<LumenPolicyStatus> test) {
    return Await.until(
        () ->
            Optional.ofNullable(policyStatus(name))
                .filter(s -> s.getPending() == null && test.test(s))
                .orElse(null),
        WAIT,
        "status of policy " + name);
  }

  static List<Map<String, Integer>> trafficChanges(CloudRunServiceReference ref) {
    String prefix = ref.name() + "-";
    return google.cloudRun().trafficChanges().stream()
        .filter(split -> split.keySet().stream().allMatch(r -> r.startsWith(prefix)))
        .toList();
  }

  static Condition condition(LumenPolicyStatus status, String type) {
    return status.getConditions().stream()
        .filter(c -> c.type().equals(type))
        .findFirst()
        .orElseThrow();
  }

  static Instant decisionTime(LumenPolicyStatus status, String action) {
    return status.getRecentDecisions().stream()
        .filter(d -> d.action().equals(action))
        .map(d -> Instant.parse(d.time()))
        .reduce((newer, older) -> older)
        .orElseThrow();
  }
}
