package dev.lumen.benchmarks.quality;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.ports.FakeMetrics;
import dev.lumen.ports.MetricSource.MetricKind;
import dev.lumen.ports.MetricSource.MetricRequest;
import dev.lumen.ports.MetricSource.RevisionMetrics;
import dev.lumen.sim.scenario.Scenario;
import dev.lumen.testkit.world.SimWorld.ServedMinute;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Flagger's canary semantics, as its tutorial configures them, driving the same simulated world
 * Lumen's backtest does. Every interval (a tick) the canary's last interval of data is checked
 * against fixed thresholds (request success rate, p99 latency); a window with no requests is a
 * failed check, as in Flagger. A failed check holds the weight and counts towards {@code threshold}
 * (cumulative for the run); reaching it rolls back on the next tick. A passing check moves the
 * weight up by one step on the next tick; a pass at the last weight promotes: Flagger copies the
 * canary to the primary on the next tick and routes all traffic to it on the one after.
 */
final class FlaggerBaseline {
  /** Flagger's settings. */
  record Settings(
      List<Integer> stepWeights,
      Duration interval,
      int threshold,
      double minSuccessPercent,
      double maxP99Millis,
      Duration dataDelay) {
    /**
     * The tutorial's: stepWeight 10 up to maxWeight 50, interval 1m, threshold 5, success rate of
     * at least 99 % and p99 of at most 500 ms.
     */
    static final Settings TUTORIAL =
        new Settings(
            List.of(10, 20, 30, 40, 50), Duration.ofMinutes(1), 5, 99, 500, Duration.ofMinutes(1));
  }

  private final Settings settings;

  FlaggerBaseline(Settings settings) {
    this.settings = settings;
  }

  /** The minutes the world served while the baseline drove the scenario's first service. */
  List<ServedMinute> run(Scenario scenario) {
    var stage = BaselineStage.of(scenario);
    var world = stage.world();
    var metrics = stage.metrics();
    CloudRunServiceReference ref = stage.ref();
    String canary = null;
    int step = -1;
    int failedChecks = 0;
    // What the last tick decided, done on this one: Flagger acts a tick after it judges.
    Integer nextWeight = null;
    int ticksBeforeNext = 0;
    boolean finished = false;
    for (Instant now = scenario.startTime();
        !now.isAfter(scenario.endTime());
        now = now.plus(settings.interval())) {
      world.advanceTo(now);
      if (finished) {
        continue;
      }
      if (nextWeight != null && ticksBeforeNext > 0) {
        ticksBeforeNext--;
        continue;
      }
      if (nextWeight != null) {
        // The move decided on the last tick; this tick's check runs on as well, on the last
        // interval's data, as Flagger's does.
        boolean starting = stage.weightOf(canary) == 0;
        stage.route(canary, nextWeight);
        finished = nextWeight == 0 || nextWeight == 100;
        nextWeight = null;
        if (finished || starting) {
          // The analysis starts on the tick after the first weight is set.
          continue;
        }
      }
      if (canary == null) {
        String latest = stage.latest();
        if (!latest.equals(stage.stable())) {
          // Detected on this tick; the first weight is set on the next.
          canary = latest;
          step = 0;
          nextWeight = settings.stepWeights().get(0);
        }
        continue;
      }
      if (!checksPass(metrics, ref, canary, now)) {
        failedChecks++;
        if (failedChecks >= settings.threshold()) {
          nextWeight = 0;
        }
      } else if (step + 1 < settings.stepWeights().size()) {
        step++;
        nextWeight = settings.stepWeights().get(step);
      } else {
        // Promotion: the canary is copied to the primary on the next tick, and all traffic goes
        // to it on the one after.
        nextWeight = 100;
        ticksBeforeNext = 1;
      }
    }
    return stage.minutes();
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
}
