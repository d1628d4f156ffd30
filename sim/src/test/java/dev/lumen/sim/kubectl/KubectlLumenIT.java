package dev.lumen.sim.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl lumen}, found by the real kubectl as a plugin (the checkout's kubectl-lumen
 * launcher on PATH), against the local cluster of {@code lumen demo} and {@code lumen run-local}.
 */
class KubectlLumenIT {
  private static final Path SAMPLES = Path.of(System.getProperty("lumen.samples.dir"));

  /**
   * The default demo at 10x: checkout-00002 fails and is rolled back about 6 scenario minutes after
   * its deployment at 2m; checkout-00003, deployed at 15m, is promoted by hand before its steps (20
   * %, then 50 %, 3m apart) would promote it. At 10x the two steps last 36 s, time enough for `get`
   * and `promote` (a JVM each) on a loaded machine; at 30x they lasted 12 s and a busy run found
   * the rollout already promoted.
   */
  @Test
  void statusWaitsForTheRolloutAndSaysHowItEndedInItsExitCode() throws Exception {
    try (var demo = LocalCluster.demo("--speed", "10")) {
      var rolledBack =
          demo.kubectlLumen(
              "status", "checkout", "--revision", "checkout-00002", "--timeout", "2m");
      assertThat(rolledBack.exitCode()).as(rolledBack.out()).isEqualTo(1);
      // How many progress lines come first depends on how soon the plugin's JVM is up.
      assertThat(rolledBack.out()).contains("checkout: checkout-00002 was rolled back");

      var timedOut =
          demo.kubectlLumen(
              "status", "checkout", "--revision", "checkout-00003", "--timeout", "1s");
      assertThat(timedOut.exitCode()).as(timedOut.out()).isEqualTo(2);
      assertThat(timedOut.out()).contains("checkout: timed out after 1s");

      demo.eventually(
          Duration.ofMinutes(2),
          () -> {
            var get = demo.kubectlLumen("get", "checkout");
            assertThat(get.exitCode()).as(get.out()).isZero();
            assertThat(get.out())
                .containsPattern("Phase: +Progressing, step [12] of 3")
                .containsPattern(
                    "Traffic: +checkout-00003 \\(canary\\) (20|50) %, checkout-00001 \\(stable\\)")
                .contains("Failed:   checkout-00002")
                .containsPattern(
                    "Catches: +errors ([0-9.]+x|-), latency [0-9.]+x by the last step");
          });
      var promote = demo.kubectlLumen("promote", "checkout", "--full");
      assertThat(promote.exitCode()).as(promote.out()).isZero();
      assertThat(promote.out()).contains("asked Lumen to send all traffic to the canary now");

      var promoted =
          demo.kubectlLumen(
              "status", "checkout", "--revision", "checkout-00003", "--timeout", "1m");
      assertThat(promoted.exitCode()).as(promoted.out()).isZero();
      assertThat(promoted.out()).contains("checkout: checkout-00003 promoted: it serves 100 %");
      // Promoted by the person, before the scenario's steps would have: its decisions say so.
      assertThat(demo.kubectlLumen("get", "checkout").out())
          .containsPattern(
              "Promote +send all traffic to checkout-00003: promoted by a person"
                  + " \\(lumen.dev/promote\\)");
    }
  }

  @Test
  void commandsWriteTheirAnnotationsAndSayWhenThereIsNothingToDo() throws Exception {
    try (var cluster = LocalCluster.runLocal(SAMPLES.resolve("minimal").toString())) {
      cluster.eventually(
          Duration.ofSeconds(60),
          () ->
              assertThat(cluster.kubectlLumen("get", "ion-api").out()).contains("Phase:    Idle"));

      var hold = cluster.kubectlLumen("hold", "ion-api");
      assertThat(hold.exitCode()).as(hold.out()).isZero();
      cluster.eventually(
          Duration.ofSeconds(30),
          () ->
              assertThat(cluster.kubectlLumen("get", "ion-api").out())
                  .contains("automatic rollbacks held by a person"));
      assertThat(cluster.kubectlLumen("release", "ion-api").exitCode()).isZero();

      var promote = cluster.kubectlLumen("promote", "ion-api");
      assertThat(promote.exitCode()).isEqualTo(1);
      assertThat(promote.out()).contains("nothing to promote: no rollout in progress (phase Idle)");

      var status = cluster.kubectlLumen("status", "ion-api", "--timeout", "10s");
      assertThat(status.exitCode()).as(status.out()).isZero();
      assertThat(status.out()).contains("no rollout in progress; ion-api-00001 serves 100 %");

      var missing = cluster.kubectlLumen("abort", "nope");
      assertThat(missing.exitCode()).isEqualTo(3);
      assertThat(missing.out()).contains("no LumenPolicy \"nope\" in namespace default");

      var elsewhere = cluster.kubectlLumen("get", "ion-api", "-n", "other");
      assertThat(elsewhere.out()).contains("no LumenPolicy \"ion-api\" in namespace other");
    }
  }
}
