package dev.lumen.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import dev.lumen.runtime.LumenOperator;
import dev.lumen.testkit.world.SimWorld.Behaviour;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One team's Prometheus that never answers does not hold up another team's rollback: twelve
 * SLOTargets read from it while a failing canary in another namespace is rolled back no later than
 * an identical one without them, give or take two analysis intervals. The operator runs four
 * reconcile threads, as in every rig; without the bulkheads the twelve hold all four for the
 * Prometheus deadline (5 s, 100 s of clock time) at a time.
 *
 * <p>The clock runs 20 times real time, not 60 as in other rigs: a permit wait (0.5 s) and the
 * scheduler's jitter on a loaded machine are real seconds, and at 60 times they alone came to more
 * than one interval of clock time (a CI run measured 4 min 30 s against 3 min 10 s).
 */
class SlowEndpointIT {
  static final Duration INTERVAL = Duration.ofMinutes(1);

  /**
   * Two identical canaries are not rolled back at the same offset from their deploy even on an idle
   * machine: their requests are other draws, and their steps start at other phases of the whole
   * minutes of data, each worth up to one analysis. Fresh-clone runs measured the canary beside the
   * silent Prometheus 55 to 83 s after the one alone (one of them failed the earlier bound of one
   * interval); without the bulkheads it got no status at all.
   */
  static final int INTERVALS_ALLOWED = 2;

  /**
   * Evaluations keep their cadence to the millisecond (Cadence), so a rollback one analysis later
   * lands one interval later plus the scheduler's jitter: a CI run measured 5 ms of clock time
   * over.
   */
  static final Duration JITTER = Duration.ofSeconds(1);

  static Rig rig;
  static LumenOperator operator;
  static ServerSocket silent;
  static final List<Socket> held = new ArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    rig = new Rig(20, 7);
    operator = rig.operator(new SimpleMeterRegistry());
    silent = new ServerSocket(0);
    var acceptor =
        new Thread(
            () -> {
              while (!silent.isClosed()) {
                try {
                  held.add(silent.accept());
                } catch (IOException closed) {
                  return;
                }
              }
            },
            "silent-prometheus");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @AfterAll
  static void stop() throws IOException {
    silent.close();
    for (Socket socket : held) {
      socket.close();
    }
    operator.close();
    rig.close();
  }

  @Test
  void aPrometheusThatNeverAnswersDelaysNoOtherNamespacesRollbackByMoreThanTwoIntervals() {
    Duration calm = rollBack("calm");

    for (int i = 0; i < 12; i++) {
      String name = "silent-" + i;
      var ref = rig.service(name);
      rig.apply(
          "noisy",
          """
          apiVersion: lumen.dev/v1alpha1
          kind: SLOTarget
          metadata: {name: %s}
          spec:
            service: {cloudRun: {project: %s, region: %s, name: %s}}
            source: {prometheus: {url: "http://127.0.0.1:%d"}}
            evaluationInterval: 10s
            objectives: [{name: availability, availability: {target: "99.5"}}]
          """
              .formatted(name, ref.project(), ref.region(), name, silent.getLocalPort()));
    }
    Duration noisy = rollBack("victim");

    System.out.printf(
        "rollback reaction: %d s of clock time alone, %d s beside 12 SLOTargets on a silent"
            + " Prometheus%n",
        calm.toSeconds(), noisy.toSeconds());
    assertThat(noisy)
        .isLessThanOrEqualTo(calm.plus(INTERVAL.multipliedBy(INTERVALS_ALLOWED)).plus(JITTER));
  }

  /** Deploys a canary that fails every request in five and returns how long until rolled back. */
  private static Duration rollBack(String name) {
    var ref = rig.service(name);
    rig.apply(
        name,
        Rig.policy(
            name,
            ref,
            "Enforce",
            "  rollout:\n"
                + "    steps: [{weight: 20, pause: 10m}, {weight: 100}]\n"
                + "    analysis: {interval: 1m}\n"
                + "    rollback: {gracePeriod: 0s}\n"));
    rig.awaitReady(name);
    Instant deployed = rig.clock.instant();
    rig.google.world().deploy(ref, name + "-00002", new Behaviour(0.2, 80, 0.02), deployed);
    LumenPolicyStatus status =
        rig.awaitStatus(
            name,
            s ->
                s.getRollout() != null
                    && (name + "-00002").equals(s.getRollout().failedRevision()));
    return Duration.between(deployed, Rig.decisionTime(status, "Rollback"));
  }
}
