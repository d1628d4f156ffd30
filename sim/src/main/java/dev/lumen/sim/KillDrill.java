package dev.lumen.sim;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import dev.lumen.clock.FastClock;
import dev.lumen.testkit.world.SimWorld.Behaviour;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Predicate;

/**
 * A scripted canary rollout (20 %, 50 %, 100 %, healthy canary) whose operator, a real process, is
 * killed with SIGKILL at seeded random moments and started again each time. What an uninterrupted
 * run does is known: three traffic changes, then the canary is stable.
 */
public final class KillDrill {
  public static final Instant START = Instant.parse("2026-03-02T10:00:00Z");
  public static final String NAME = "enduring";
  static final Duration TIMEOUT = Duration.ofSeconds(180);

  /** The traffic changes of an uninterrupted rollout, in order. */
  public static final List<Map<String, Integer>> UNINTERRUPTED =
      List.of(
          Map.of(NAME + "-00001", 80, NAME + "-00002", 20),
          Map.of(NAME + "-00001", 50, NAME + "-00002", 50),
          Map.of(NAME + "-00002", 100));

  /**
   * @param killedAt the policy's status each time its operator was killed
   * @param trafficChanges the splits the operators set, in order
   * @param finalTraffic the live split at the end
   * @param stableRevision the stable revision at the end
   * @param elapsed real time from the deploy to the end
   */
  public record Result(
      List<LumenPolicyStatus> killedAt,
      List<Map<String, Integer>> trafficChanges,
      Map<String, Integer> finalTraffic,
      String stableRevision,
      Duration elapsed) {
    public boolean asUninterrupted() {
      return trafficChanges.equals(UNINTERRUPTED)
          && finalTraffic.equals(Map.of(NAME + "-00002", 100))
          && (NAME + "-00002").equals(stableRevision);
    }
  }

  private KillDrill() {}

  /**
   * @param speed clock seconds per real second
   * @param kills how many times the operator is killed
   * @param maxLife each operator lives 1.5 s to this long (real time) before it is killed
   * @param dir where the operators' output goes
   */
  public static Result run(long seed, int kills, double speed, Duration maxLife, Path dir)
      throws Exception {
    Files.createDirectories(dir);
    var random = new Random(seed);
    List<OperatorProcess> processes = new ArrayList<>();
    try (var stage = new Stage(seed, speed)) {
      var target = stage.target(List.of());
      processes.add(OperatorProcess.start(target, dir.resolve("operator-0.log")));
      stage.await(s -> (NAME + "-00001").equals(s.getStableRevision()), processes);

      long deployed = System.nanoTime();
      stage.deployCanary();
      List<LumenPolicyStatus> killedAt = new ArrayList<>();
      for (int kill = 1; kill <= kills; kill++) {
        Thread.sleep(1500 + random.nextInt((int) Math.max(1, maxLife.toMillis() - 1500)));
        processes.get(processes.size() - 1).kill();
        killedAt.add(stage.status().orElse(null));
        processes.add(OperatorProcess.start(target, dir.resolve("operator-" + kill + ".log")));
      }
      LumenPolicyStatus done =
          stage.await(s -> (NAME + "-00002").equals(s.getStableRevision()), processes);
      return new Result(
          killedAt,
          stage.google.cloudRun().trafficChanges(),
          stage.google.cloudRun().get(stage.ref).traffic(),
          done.getStableRevision(),
          Duration.ofNanos(System.nanoTime() - deployed));
    } finally {
      processes.forEach(OperatorProcess::close);
    }
  }

  /**
   * The world of a drill: an API server holding the policy, the simulated Google services with the
   * service at its first revision, and the clock the operator processes share.
   */
  public static final class Stage implements AutoCloseable {
    private final Instant anchor = Instant.now();
    private final double speed;
    private final FastClock clock;
    private final SimulatedCluster cluster;
    private final KubernetesClient client;
    private final SimulatedGoogle google;
    private final CloudRunServiceReference ref =
        new CloudRunServiceReference("drill-project", "europe-west1", NAME);

    public Stage(long seed, double speed) {
      this.speed = speed;
      this.clock = FastClock.anchored(START, anchor, speed);
      this.cluster = SimulatedCluster.start(clock, seed, Duration.ofMillis(20));
      this.client = cluster.client();
      this.google = cluster.google();
      // 100 requests a second: at 0.1 % errors, enough for the two-minute steps to gather the
      // evidence a promotion needs, across the kills, from status.
      google.world().addService(ref, NAME + "-00001", 6000, START.minus(Duration.ofDays(1)));
      client
          .load(new ByteArrayInputStream(policy(ref).getBytes(StandardCharsets.UTF_8)))
          .inNamespace(NAME)
          .create();
    }

    /** Where an operator process finds this stage, with more {@code lumen run} arguments. */
    public OperatorProcess.Target target(List<String> extraArgs) {
      return new OperatorProcess.Target(
          cluster.api().url(), google, START, anchor, speed, extraArgs);
    }

    /** A healthy second revision: the rollout starts. */
    public void deployCanary() {
      google.world().deploy(ref, NAME + "-00002", Behaviour.HEALTHY, clock.instant());
    }

    public KubernetesClient client() {
      return client;
    }

    public List<Map<String, Integer>> trafficChanges() {
      return google.cloudRun().trafficChanges();
    }

    public Optional<LumenPolicyStatus> status() {
      return Optional.ofNullable(
              client.resources(LumenPolicy.class).inNamespace(NAME).withName(NAME).get())
          .map(LumenPolicy::getStatus);
    }

    /** The first status without pending changes that passes {@code test}. */
    public LumenPolicyStatus await(
        Predicate<LumenPolicyStatus> test, List<OperatorProcess> processes)
        throws InterruptedException {
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (System.nanoTime() < deadline) {
        var status = status().filter(s -> s.getPending() == null && test.test(s));
        if (status.isPresent()) {
          return status.get();
        }
        Thread.sleep(50);
      }
      throw new IllegalStateException(
          "the rollout did not get there within "
              + TIMEOUT
              + "; last status: "
              + status().orElse(null)
              + "\nlast operator's output:\n"
              + processes.get(processes.size() - 1).tail(40));
    }

    @Override
    public void close() {
      cluster.close();
    }
  }

  private static String policy(CloudRunServiceReference ref) {
    return PolicyYaml.of(
        NAME,
        ref,
        "Enforce",
        "  rollout:\n    steps: [{weight: 20, pause: 2m}, {weight: 50, pause: 2m}, {weight: 100}]\n");
  }
}
