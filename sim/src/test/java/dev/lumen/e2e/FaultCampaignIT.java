package dev.lumen.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.DecisionRecord;
import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import dev.lumen.testkit.Await;
import dev.lumen.testkit.HttpSink;
import dev.lumen.testkit.world.SimWorld.Behaviour;
import io.grpc.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each fault injected into a canary rollout of a healthy revision, on its own rig: Cloud Monitoring
 * failing for one evaluation or for ten, Cloud Run refusing or failing or stalling a traffic
 * change, the Kubernetes API refusing status writes. Whatever the fault, nothing is decided on data
 * that did not arrive, and once the fault clears the rollout ends exactly as an uninterrupted one:
 * the same traffic changes, once each, and the canary promoted.
 */
class FaultCampaignIT {
  static final String STEPS = "  rollout:\n    steps: [{weight: 50, pause: 1m}, {weight: 100}]\n";

  /**
   * @param whileCanary inject when the canary serves 50 % (else before the first traffic change)
   * @param lasts clock time the fault lasts before {@code clear}
   * @param blind whether the operator cannot see the canary's metrics meanwhile
   */
  record Fault(
      String name,
      boolean whileCanary,
      Duration lasts,
      boolean blind,
      Consumer<Rig> inject,
      Consumer<Rig> clear) {
    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * A one-minute outage may fall between two evaluations and go unseen; ten minutes cannot, and the
   * policy must say it is blind.
   */
  static Fault monitoring(Status.Code code, int minutes) {
    return new Fault(
        "monitoring " + code + " for " + minutes + " min",
        true,
        Duration.ofMinutes(minutes),
        minutes >= 10,
        rig -> rig.google.monitoringServer().faults().failAlways("ListTimeSeries", code),
        rig -> rig.google.monitoringServer().faults().recover("ListTimeSeries"));
  }

  static Stream<Fault> faults() {
    return Stream.of(
        monitoring(Status.Code.UNAVAILABLE, 1),
        monitoring(Status.Code.UNAVAILABLE, 10),
        monitoring(Status.Code.RESOURCE_EXHAUSTED, 10),
        monitoring(Status.Code.DEADLINE_EXCEEDED, 1),
        new Fault(
            "cloud run ABORTED twice (etag conflicts)",
            false,
            Duration.ZERO,
            false,
            rig ->
                rig.google
                    .cloudRunServer()
                    .faults()
                    .failNext("UpdateService", Status.Code.ABORTED, 2),
            rig -> {}),
        new Fault(
            "cloud run operation FAILED",
            false,
            Duration.ZERO,
            false,
            rig -> rig.google.cloudRunServer().failNextOperation(Status.Code.INTERNAL),
            rig -> {}),
        new Fault(
            "cloud run UpdateService slower than the deadline",
            false,
            Duration.ofMinutes(8),
            false,
            rig ->
                rig.google
                    .cloudRunServer()
                    .faults()
                    .delay("UpdateService", Rig.GOOGLE_DEADLINE.plusSeconds(1)),
            rig -> rig.google.cloudRunServer().faults().delay("UpdateService", Duration.ZERO)),
        new Fault(
            "kubernetes 409 on three status writes",
            true,
            Duration.ZERO,
            false,
            rig -> rig.api.failStatusWrites(409, 3),
            rig -> {}),
        new Fault(
            "kubernetes 500 on three status writes",
            true,
            Duration.ZERO,
            false,
            rig -> rig.api.failStatusWrites(500, 3),
            rig -> {}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("faults")
  void theRolloutEndsAsAnUninterruptedOne(Fault fault) {
    String name = "faulted";
    try (var rig = new Rig(60, 17);
        var operator = rig.operator(new SimpleMeterRegistry())) {
      var ref = rig.service(name);
      rig.apply(name, Rig.policy(name, ref, "Enforce", STEPS));
      rig.awaitReady(name);
      if (!fault.whileCanary()) {
        fault.inject().accept(rig);
      }
      rig.google.world().deploy(ref, name + "-00002", Behaviour.HEALTHY, rig.clock.instant());
      if (fault.whileCanary()) {
        rig.awaitStatus(name, s -> Integer.valueOf(50).equals(s.getCanaryWeight()));
        fault.inject().accept(rig);
      }
      int changesBefore = rig.trafficChanges(ref).size();
      rig.let(fault.lasts());
      if (fault.blind()) {
        assertThat(rig.trafficChanges(ref))
            .as("no traffic decision without the canary's metrics")
            .hasSize(changesBefore);
        assertThat(
                Rig.condition(rig.policyStatus(name).getConditions(), Conditions.READY).message())
            .contains("not measured this cycle");
      }
      fault.clear().accept(rig);

      LumenPolicyStatus done =
          rig.awaitStatus(name, s -> (name + "-00002").equals(s.getStableRevision()));
      assertThat(rig.trafficChanges(ref))
          .containsExactly(
              Map.of(name + "-00001", 50, name + "-00002", 50), Map.of(name + "-00002", 100));
      assertThat(rig.google.cloudRun().get(ref).traffic()).isEqualTo(Map.of(name + "-00002", 100));
      assertThat(done.getRecentDecisions())
          .extracting(DecisionRecord::action)
          .doesNotContain("RolledBack", "RollbackAnnounced");
      // Recovered without a human: the next evaluations see everything again.
      rig.awaitStatus(
          name,
          s ->
              !Rig.condition(s.getConditions(), Conditions.READY)
                  .message()
                  .contains("not measured this cycle"));
    }
  }

  /**
   * Slack answering 503 and Alertmanager refusing connections while a failing canary is rolled
   * back: each message and alert is tried and given up on, counted per channel, and the rollback is
   * not held up by a single one.
   */
  @Test
  void notificationsDownHoldUpNoRollback() throws IOException {
    String name = "unheard";
    var registry = new SimpleMeterRegistry();
    int closedPort;
    try (var socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (var rig = new Rig(60, 19);
        var operator = rig.operator(registry);
        var slack = HttpSink.start()) {
      slack.respondWith(503);
      var ref = rig.service(name);
      rig.secret(name, "slack", Map.of("main", slack.url("/main").toString()));
      rig.apply(
          name,
          Rig.policy(
              name,
              ref,
              "Enforce",
              STEPS
                  + "    rollback: {gracePeriod: 2m}\n"
                  + "  notifications:\n"
                  + "    slack: {webhookSecretRef: {name: slack, key: main}}\n"
                  + "    alertmanager: {url: 'http://127.0.0.1:"
                  + closedPort
                  + "'}\n"));
      rig.awaitReady(name);
      rig.google
          .world()
          .deploy(ref, name + "-00002", new Behaviour(0.2, 80, 0.02), rig.clock.instant());

      rig.awaitStatus(name, s -> s.getRollout() != null && s.getRollout().failedRevision() != null);
      assertThat(rig.trafficChanges(ref))
          .containsExactly(
              Map.of(name + "-00001", 50, name + "-00002", 50), Map.of(name + "-00001", 100));
      Await.until(
          () -> failed(registry, "slack") > 0 && failed(registry, "alertmanager") > 0 ? true : null,
          Rig.WAIT,
          "Slack and Alertmanager sends given up on and counted");
      assertThat(slack.requests("/main")).as("Slack was tried").isNotEmpty();
    }
  }

  private static double failed(SimpleMeterRegistry registry, String channel) {
    var counter =
        registry.find("lumen.notifications").tags("channel", channel, "result", "failed").counter();
    return counter == null ? 0 : counter.count();
  }
}
