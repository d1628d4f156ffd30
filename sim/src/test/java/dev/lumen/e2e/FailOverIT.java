package dev.lumen.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.sim.KillDrill;
import dev.lumen.sim.OperatorProcess;
import dev.lumen.testkit.Await;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two operator processes with leader election; the leader is killed with SIGKILL in the middle of a
 * rollout. The follower takes the lease within the lease duration and finishes the rollout as an
 * uninterrupted one.
 */
class FailOverIT {
  static final double SPEED = 20;
  static final Duration LEASE = Duration.ofSeconds(6);
  static final String LEASE_NAME = "lumen-drill";
  static final String NAME = KillDrill.NAME;

  @Test
  void theFollowerTakesOverWithinTheLeaseDuration(@TempDir Path dir) throws Exception {
    try (var stage = new KillDrill.Stage(3, SPEED)) {
      var client = stage.client();
      var target =
          stage.target(
              List.of(
                  "--leader-election",
                  "--lease-name",
                  LEASE_NAME,
                  "--lease-namespace",
                  "default",
                  "--lease-duration",
                  LEASE.toSeconds() + "s"));
      try (var first = OperatorProcess.start(target, dir.resolve("first.log"));
          var second = OperatorProcess.start(target, dir.resolve("second.log"))) {
        String leader = Await.until(() -> holder(client), Duration.ofSeconds(60), "a leader");
        OperatorProcess leading = leader.endsWith("-" + first.pid()) ? first : second;
        OperatorProcess following = leading == first ? second : first;
        assertThat(leader).endsWith("-" + leading.pid());

        var both = List.of(first, second);
        stage.deployCanary();
        stage.await(s -> Integer.valueOf(20).equals(s.getCanaryWeight()), both);
        leading.kill();
        long killed = System.nanoTime();
        Await.until(
            () -> holder(client),
            holder -> holder != null && holder.endsWith("-" + following.pid()),
            Duration.ofSeconds(60),
            "the follower to hold the lease");
        Duration takeOver = Duration.ofNanos(System.nanoTime() - killed);
        System.out.printf(
            "the follower took the lease %d ms after the leader died%n", takeOver.toMillis());

        assertThat(takeOver).isLessThanOrEqualTo(LEASE.plusSeconds(2));
        stage.await(s -> (NAME + "-00002").equals(s.getStableRevision()), List.of(following));
        assertThat(stage.trafficChanges()).isEqualTo(KillDrill.UNINTERRUPTED);
      }
    }
  }

  private static String holder(KubernetesClient client) {
    Lease lease = client.leases().inNamespace("default").withName(LEASE_NAME).get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }
}
