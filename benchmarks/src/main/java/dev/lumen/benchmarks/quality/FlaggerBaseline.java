package dev.lumen.benchmarks.quality;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.ports.FakeCloudRun;
import dev.lumen.ports.FakeMetrics;
import dev.lumen.ports.MetricSource.MetricKind;
import dev.lumen.ports.MetricSource.MetricRequest;
import dev.lumen.ports.MetricSource.RevisionMetrics;
import dev.lumen.sim.scenario.Journal;
import dev.lumen.sim.scenario.Scenario;
import dev.lumen.sim.scenario.ScenarioWorld;
import dev.lumen.testkit.world.SimWorld;
import dev.lumen.testkit.world.SimWorld.ServedMinute;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Flagger's canary semantics, driving the same simulated world Lumen's backtest does: every
 * interval the canary's last interval of data is checked against fixed thresholds (request success
 * rate, p99 latency); a window with no requests is a failed check, as in Flagger; a failed check
 * holds the weight and counts towards {@code threshold} (cumulative for the run); a passing one
 * moves to the next weight, and a pass at the last weight promotes.
 */
final class FlaggerBaseline {
  /**
   * The values of Flagger's documented examples, on Lumen's default weights so that both expose the
   * canary to the same shares of traffic.
   */
  record Settings(
      List<Integer> stepWeights,
      Duration interval,
      int threshold,
      double minSuccessPercent,
      double maxP99Millis,
      Duration dataDelay) {
    static final Settings DOCUMENTED =
        new Settings(List.of(5, 10, 50), Duration.ofMinutes(1), 5, 99, 500, Duration.ofMinutes(1));
  }

  private final Settings settings;

  FlaggerBaseline(Settings settings) {
    this.settings = settings;
  }

  /** The minutes the world served while the baseline drove the scenario's first service. */
  List<ServedMinute> run(Scenario scenario) {
    var cloudRun = new FakeCloudRun();
    var metrics = new FakeMetrics();
    var world = new SimWorld(cloudRun, metrics, scenario.seedOrDefault(), scenario.startTime());
    List<ServedMinute> minutes = new ArrayList<>();
    world.onMinute(minutes::add);
    ScenarioWorld.build(
        scenario,
        world,
        service -> {
          throw new IllegalArgumentException("the baseline does not tune caches");
        },
        new Journal());
    var service = scenario.services().get(0);
    CloudRunServiceReference ref = service.reference();
    String stable = service.revision().name();
    String canary = null;
    int step = 0;
    int failedChecks = 0;
    boolean finished = false;
    for (Instant now = scenario.startTime();
        !now.isAfter(scenario.endTime());
        now = now.plus(settings.interval())) {
      world.advanceTo(now);
      if (finished) {
        continue;
      }
      if (canary == null) {
        String latest = cloudRun.find(ref.resourceName()).orElseThrow().latestReadyRevision();
        if (!latest.equals(stable)) {
          canary = latest;
          route(cloudRun, ref, stable, canary, settings.stepWeights().get(0));
        }
        continue;
      }
      if (!checksPass(metrics, ref, canary, now)) {
        failedChecks++;
        if (failedChecks >= settings.threshold()) {
          route(cloudRun, ref, stable, canary, 0);
          finished = true;
        }
      } else if (step + 1 < settings.stepWeights().size()) {
        step++;
        route(cloudRun, ref, stable, canary, settings.stepWeights().get(step));
      } else {
        route(cloudRun, ref, stable, canary, 100);
        finished = true;
      }
    }
    return minutes;
  }

  private boolean checksPass(
      FakeMetrics metrics, CloudRunServiceReference ref, String canary, Instant now) {
    var request =
        MetricRequest.lagging(
            ref.project(),
            Set.of(ref.name()),
            now,
            settings.dataDelay(),
            settings.interval(),
            Set.of(MetricKind.REQUESTS, MetricKind.LATENCIES));
    RevisionMetrics read =
        metrics.read(request).entrySet().stream()
            .filter(e -> e.getKey().revision().equals(canary))
            .map(Map.Entry::getValue)
            .findFirst()
            .orElse(RevisionMetrics.EMPTY);
    if (read.requests().isEmpty() || read.latency().isEmpty()) {
      return false;
    }
    var requests = read.requests().get();
    double successPercent = 100.0 * requests.available() / requests.total();
    return successPercent >= settings.minSuccessPercent()
        && read.latency().get().percentile(99) <= settings.maxP99Millis();
  }

  private static void route(
      FakeCloudRun cloudRun,
      CloudRunServiceReference ref,
      String stable,
      String canary,
      int canaryWeight) {
    cloudRun.setTraffic(
        ref,
        canaryWeight == 0
            ? Map.of(stable, 100)
            : canaryWeight == 100
                ? Map.of(canary, 100)
                : Map.of(stable, 100 - canaryWeight, canary, canaryWeight),
        Map.of());
  }
}
