package dev.lumen.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import dev.lumen.api.v1alpha1.PendingStatus;
import dev.lumen.e2e.Mortal.When;
import dev.lumen.ports.CloudRunServices;
import dev.lumen.runtime.LumenOperator;
import dev.lumen.runtime.OperatorSettings;
import dev.lumen.testkit.Await;
import dev.lumen.testkit.world.SimWorld.Behaviour;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A rollout survives its operator: killed just before a traffic change (pending written, change not
 * made), just after it (change made, pending not cleared) or stopped between steps, a fresh
 * operator carries on from status and the service sees exactly the changes of an uninterrupted
 * rollout. With two replicas only the lease holder acts, and the other carries on when it stops.
 */
class RestartIT {
  static final String STEPS =
      "  rollout:\n    steps: [{weight: 20, pause: 2m}, {weight: 50, pause: 2m}, {weight: 100}]\n";

  static Rig rig;

  @BeforeAll
  static void start() {
    rig = new Rig(60, 7);
  }

  @AfterAll
  static void stop() {
    rig.close();
  }

  /** How one operator process ends. */
  interface Life {}

  record KilledAt(int canaryPercent, When when) implements Life {}

  record StoppedWhen(String what, Predicate<LumenPolicyStatus> test) implements Life {}

  @Test
  void killedJustBeforeEachTrafficChangeTheNextOperatorMakesIt() throws Exception {
    String name = "before";
    var ref = rollout(name);
    live(
        name,
        ref,
        List.of(
            new KilledAt(20, When.BEFORE),
            new StoppedWhen("in the pause at 20 %", s -> weight(s, 20)),
            new KilledAt(50, When.BEFORE),
            new KilledAt(100, When.BEFORE)));

    assertPromotedWithExactlyTheIntendedChanges(name, ref);
  }

  @Test
  void killedJustAfterEachTrafficChangeTheNextOperatorDoesNotRepeatIt() throws Exception {
    String name = "after";
    var ref = rollout(name);
    live(
        name,
        ref,
        List.of(
            new KilledAt(20, When.AFTER),
            new KilledAt(50, When.AFTER),
            new StoppedWhen("in the pause at 50 %", s -> weight(s, 50)),
            new KilledAt(100, When.AFTER)));

    assertPromotedWithExactlyTheIntendedChanges(name, ref);
  }

  @Test
  void onlyTheLeaderActsAndTheFollowerCarriesOnTheRollout() throws Exception {
    String name = "leader";
    var ref = rig.service(name);
    var lease = Duration.ofSeconds(5);
    try (var a = replica("replica-a", lease);
        var b = followerOf("replica-a", "replica-b", lease)) {
      rig.apply(name, Rig.policy(name, ref, "Enforce", STEPS));
      rig.awaitReady(name);
      rig.google.world().deploy(ref, name + "-00002", Behaviour.HEALTHY, rig.clock.instant());
      rig.awaitStatus(name, s -> weight(s, 20));
      assertThat(a.cloudRun.calls()).isPositive();
      assertThat(b.cloudRun.calls()).as("Cloud Run calls of the follower").isZero();
      assertThat(b.operator.isReady())
          .as(
              "a follower reports ready: the chart's rolling update and PodDisruptionBudget count on it")
          .isTrue();

      long stopped = System.nanoTime();
      a.close();
      Await.until(
          () -> "replica-b".equals(leaseHolder()) ? true : null, Rig.WAIT, "replica-b leads");
      System.out.printf(
          "fail-over: replica-b leads %d ms after the leader stopped (lease %s)%n",
          Duration.ofNanos(System.nanoTime() - stopped).toMillis(), lease);

      rig.awaitStatus(name, s -> (name + "-00002").equals(s.getStableRevision()));
      assertThat(b.cloudRun.calls()).isPositive();
      assertThat(rig.trafficChanges(ref)).containsExactly(intended(name).toArray(Map[]::new));
    }
  }

  // --- helpers ---

  /** One operator process: its own API client, Google clients and meters. */
  static final class Process implements AutoCloseable {
    final LumenOperator operator;
    final KubernetesClient client;
    final Mortal cloudRun;
    private boolean closed;

    Process(LumenOperator operator, KubernetesClient client, Mortal cloudRun) {
      this.operator = operator;
      this.client = client;
      this.cloudRun = cloudRun;
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        operator.close();
        client.close();
      }
    }
  }

  static CloudRunServiceReference rollout(String name) {
    var ref = rig.service(name);
    try (var first = process(Mortal::immortal, rig.settings())) {
      rig.apply(name, Rig.policy(name, ref, "Enforce", STEPS));
      rig.awaitReady(name);
    }
    rig.google.world().deploy(ref, name + "-00002", Behaviour.HEALTHY, rig.clock.instant());
    return ref;
  }

  /** Runs one operator per life, each ending as the life says, then one that lives on. */
  static void live(String name, CloudRunServiceReference ref, List<Life> lives) throws Exception {
    for (Life life : lives) {
      if (life instanceof KilledAt kill) {
        var process =
            process(
                c -> Mortal.dyingAt(c, split(name, kill.canaryPercent()), kill.when()),
                rig.settings());
        try {
          assertThat(process.cloudRun.awaitDeath(60)).as("killed at " + kill).isTrue();
        } finally {
          process.close();
        }
        PendingStatus pending = rig.policyStatus(name).getPending();
        assertThat(pending).as("the change in flight is recorded in status").isNotNull();
        assertThat(pending.changes())
            .extracting(PendingStatus.ChangeStatus::kind)
            .contains("SetTraffic");
        boolean made =
            rig.google
                .cloudRun()
                .find(ref.resourceName())
                .orElseThrow()
                .traffic()
                .equals(split(name, kill.canaryPercent()));
        assertThat(made)
            .as("the change was made before the kill")
            .isEqualTo(kill.when() == When.AFTER);
      } else if (life instanceof StoppedWhen stop) {
        try (var process = process(Mortal::immortal, rig.settings())) {
          rig.awaitStatus(name, stop.test());
        }
      }
    }
    try (var last = process(Mortal::immortal, rig.settings())) {
      rig.awaitStatus(name, s -> (name + "-00002").equals(s.getStableRevision()));
    }
  }

  static void assertPromotedWithExactlyTheIntendedChanges(
      String name, CloudRunServiceReference ref) {
    assertThat(rig.trafficChanges(ref)).containsExactly(intended(name).toArray(Map[]::new));
    LumenPolicyStatus status = rig.policyStatus(name);
    assertThat(status.getPending()).isNull();
    assertThat(status.getRecentDecisions())
        .filteredOn(d -> d.action().equals("SetTraffic"))
        .as("each step decided once")
        .hasSize(3);
  }

  static List<Map<String, Integer>> intended(String name) {
    var splits = new ArrayList<Map<String, Integer>>();
    for (int percent : new int[] {20, 50, 100}) {
      splits.add(split(name, percent));
    }
    return splits;
  }

  static Map<String, Integer> split(String name, int canaryPercent) {
    return canaryPercent == 100
        ? Map.of(name + "-00002", 100)
        : Map.of(name + "-00001", 100 - canaryPercent, name + "-00002", canaryPercent);
  }

  static boolean weight(LumenPolicyStatus status, int percent) {
    return Integer.valueOf(percent).equals(status.getCanaryWeight());
  }

  static Process process(UnaryOperator<CloudRunServices> mortal, OperatorSettings settings) {
    var registry = new SimpleMeterRegistry();
    Mortal[] cloudRun = new Mortal[1];
    var backends =
        rig.backends(
            registry,
            c -> {
              cloudRun[0] = (Mortal) mortal.apply(c);
              return cloudRun[0];
            });
    KubernetesClient client = rig.api.newClient();
    return new Process(
        LumenOperator.start(client, settings, rig.clock, registry, backends), client, cloudRun[0]);
  }

  static Process replica(String identity, Duration lease) {
    return process(
        Mortal::immortal,
        rig.settings()
            .withLeaderElection(
                Optional.of(
                    new OperatorSettings.LeaderElection(
                        "lumen-e2e", "lumen-system", identity, lease))));
  }

  /** A second replica, started once {@code leader} holds the lease. */
  static Process followerOf(String leader, String identity, Duration lease) {
    Await.until(() -> leader.equals(leaseHolder()) ? true : null, Rig.WAIT, leader + " leads");
    return replica(identity, lease);
  }

  static String leaseHolder() {
    var lease = rig.client.leases().inNamespace("lumen-system").withName("lumen-e2e").get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }
}
