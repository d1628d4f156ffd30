package dev.lumen.sim.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real kubectl against {@code lumen run-local}: the README's commands, reproduced on this
 * machine alone. The binary is the machine's, or Debian's kubernetes-client, which the build
 * installs when there is none (scripts/ensure-test-tools.sh).
 */
class KubectlIT {
  private static final Path SAMPLES = Path.of(System.getProperty("lumen.samples.dir"));
  private static LocalCluster cluster;

  @BeforeAll
  static void startRunLocal() throws Exception {
    cluster = LocalCluster.runLocal(SAMPLES.resolve("minimal").toString());
    // The kubeconfig is there before run-local has applied the files.
    cluster.eventually(
        Duration.ofSeconds(30),
        () -> assertThat(cluster.kubectl("get", "lp", "ion-api").exitCode()).isZero());
    var ready = cluster.kubectl("wait", "--for=condition=Ready", "lp/ion-api", "--timeout=60s");
    assertThat(ready.exitCode()).as(ready.out()).isZero();
    assertThat(ready.out()).contains("lumenpolicy.lumen.dev/ion-api condition met");
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  @Test
  void getShowsThePrinterColumns() throws Exception {
    cluster.eventually(
        Duration.ofSeconds(30),
        () -> {
          var get = cluster.kubectl("get", "lp");
          assertThat(get.exitCode()).as(get.out()).isZero();
          assertThat(get.out().lines().findFirst().orElseThrow().split("\\s+"))
              .containsExactly(
                  "NAME", "READY", "MODE", "PHASE", "STABLE", "CANARY", "WEIGHT", "HEALTH", "AGE");
          assertThat(get.out()).containsPattern("(?m)^ion-api +True +Idle +ion-api-00001 ");
        });
    var wide = cluster.kubectl("get", "slo", "ion-api", "-o", "wide");
    assertThat(wide.out().lines().findFirst().orElseThrow()).contains("STATE", "COMPLIANCE");
    assertThat(wide.out()).containsPattern("(?m)^ion-api +True +NoData");
  }

  @Test
  void anAnnotationIsSeenByTheOperator() throws Exception {
    var annotate = cluster.kubectl("annotate", "lp", "ion-api", "lumen.dev/hold-rollback=");
    assertThat(annotate.exitCode()).as(annotate.out()).isZero();

    cluster.eventually(
        Duration.ofSeconds(30),
        () -> {
          var held =
              cluster.kubectl("get", "lp", "ion-api", "-o", "jsonpath={.status.rollout.held}");
          assertThat(held.out()).isEqualTo("true");
          // Lumen removes a command once it has acted on it.
          var annotations =
              cluster.kubectl("get", "lp", "ion-api", "-o", "jsonpath={.metadata.annotations}");
          assertThat(annotations.out()).doesNotContain("lumen.dev/hold-rollback");
        });
    var describe = cluster.kubectl("describe", "lp", "ion-api");
    assertThat(describe.out()).containsPattern("Normal +RollbackHeld .* lumen-operator");

    cluster.kubectl("annotate", "lp", "ion-api", "lumen.dev/release-rollback=");
    cluster.eventually(
        Duration.ofSeconds(30),
        () ->
            assertThat(
                    cluster
                        .kubectl("get", "lp", "ion-api", "-o", "jsonpath={.status.rollout.held}")
                        .out())
                .isEqualTo("false"));
  }

  @Test
  void explainPrintsTheFieldDocs() throws Exception {
    var explain = cluster.kubectl("explain", "lumenpolicy.spec");
    assertThat(explain.exitCode()).as(explain.out()).isZero();
    assertThat(explain.out())
        .contains("LumenPolicy")
        .contains("What Lumen may do to the service")
        .contains("rollout")
        .contains("Progressive delivery of new revisions");

    var mode = cluster.kubectl("explain", "slotarget.spec.window");
    assertThat(mode.out()).contains("Rolling compliance window");
  }

  @Test
  void applyCreatesAndUpdatesWithMergePatches() throws Exception {
    var created = cluster.kubectl("apply", "-f", SAMPLES.resolve("full").toString());
    assertThat(created.exitCode()).as(created.out()).isZero();
    assertThat(created.out()).contains("lumenpolicy.lumen.dev/checkout created");

    var again = cluster.kubectl("apply", "-f", SAMPLES.resolve("full").toString());
    assertThat(again.exitCode()).as(again.out()).isZero();
    assertThat(again.out()).contains("lumenpolicy.lumen.dev/checkout unchanged");

    var patched =
        cluster.kubectl(
            "patch",
            "lp",
            "checkout",
            "--type",
            "merge",
            "-p",
            "{\"spec\":{\"mode\":\"Enforce\"}}");
    assertThat(patched.exitCode()).as(patched.out()).isZero();
    assertThat(cluster.kubectl("get", "lp", "checkout", "-o", "jsonpath={.spec.mode}").out())
        .isEqualTo("Enforce");
  }

  @Test
  void aWatchStreamsChanges() throws Exception {
    var watching =
        new ProcessBuilder(
                "kubectl",
                "get",
                "lp",
                "ion-api",
                "-w",
                "--output-watch-events",
                "--request-timeout=0")
            .redirectErrorStream(true);
    watching.environment().put("KUBECONFIG", cluster.kubeconfig().toString());
    Process watch = watching.start();
    try {
      Thread.sleep(1_500);
      cluster.kubectl("label", "lp", "ion-api", "team=payments", "--overwrite");
      var lines = new java.io.BufferedReader(new java.io.InputStreamReader(watch.getInputStream()));
      String line;
      var seen = new StringBuilder();
      long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (System.nanoTime() < end && (line = lines.readLine()) != null) {
        seen.append(line).append('\n');
        if (line.startsWith("MODIFIED")) {
          break;
        }
      }
      assertThat(seen.toString()).containsPattern("(?m)^MODIFIED +ion-api +True ");
    } finally {
      watch.destroyForcibly();
    }
  }
}
