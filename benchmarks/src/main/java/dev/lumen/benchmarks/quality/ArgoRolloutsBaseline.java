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
 * Argo Rollouts' canary semantics, as its analysis documentation's example configures them, driving
 * the same simulated world. Steps setWeight 20, 40, 60, 80 with a 10-minute pause after each, then
 * 100. A background analysis starts at the second step (startingStep: 2) and measures the success
 * rate (non-5xx) of the last 5 minutes every 5 minutes; a measurement below 95 % fails, and more
 * failures than {@code failureLimit} abort the rollout at once (its default is 0; the example
 * writes 3). A measurement with no requests is an error, not a failure, as in Argo.
 */
final class ArgoRolloutsBaseline {
  static final List<Integer> WEIGHTS = List.of(20, 40, 60, 80);
  static final Duration PAUSE = Duration.ofMinutes(10);
  static final Duration MEASUREMENT = Duration.ofMinutes(5);
  static final double MIN_SUCCESS_PERCENT = 95;
  static final int STARTING_STEP = 1;

  private final int failureLimit;
  private final Duration dataDelay;

  ArgoRolloutsBaseline(int failureLimit, Duration dataDelay) {
    this.failureLimit = failureLimit;
    this.dataDelay = dataDelay;
  }

  /** The minutes the world served while the baseline drove the scenario's first service. */
  List<ServedMinute> run(Scenario scenario) {
    var stage = BaselineStage.of(scenario);
    var world = stage.world();
    var metrics = stage.metrics();
    CloudRunServiceReference ref = stage.ref();
    String canary = null;
    int step = 0;
    Instant stepStart = null;
    Instant analysisStart = null;
    Instant nextMeasurement = null;
    int failures = 0;
    for (Instant now = scenario.startTime();
        !now.isAfter(scenario.endTime());
        now = now.plus(Duration.ofMinutes(1))) {
      world.advanceTo(now);
      if (canary == null) {
        String latest = stage.latest();
        if (!latest.equals(stage.stable())) {
          canary = latest;
          stepStart = now;
          stage.route(canary, WEIGHTS.get(0));
        }
        continue;
      }
      if (nextMeasurement != null && !now.isBefore(nextMeasurement)) {
        nextMeasurement = now.plus(MEASUREMENT);
        if (measurementFails(metrics, ref, canary, now)) {
          failures++;
          if (failures > failureLimit) {
            stage.route(canary, 0);
            break;
          }
        }
      }
      if (now.isBefore(stepStart.plus(PAUSE))) {
        continue;
      }
      step++;
      stepStart = now;
      if (step >= WEIGHTS.size()) {
        stage.route(canary, 100);
        break;
      }
      stage.route(canary, WEIGHTS.get(step));
      if (step == STARTING_STEP) {
        analysisStart = now;
        // The first measurement is taken when the analysis starts, on the data there is.
        nextMeasurement = analysisStart;
      }
    }
    // The world goes on after the decision, so the outcome can be read from the served minutes.
    world.advanceTo(scenario.endTime());
    return stage.minutes();
  }

  private boolean measurementFails(
      FakeMetrics metrics, CloudRunServiceReference ref, String canary, Instant now) {
    var request =
        MetricRequest.lagging(
            ref.project(),
            Set.of(ref.name()),
            now,
            dataDelay,
            MEASUREMENT,
            Set.of(MetricKind.REQUESTS));
    RevisionMetrics read =
        metrics.read(request).entrySet().stream()
            .filter(e -> e.getKey().revision().equals(canary))
            .map(Map.Entry::getValue)
            .findFirst()
            .orElse(RevisionMetrics.EMPTY);
    if (read.requests().isEmpty() || read.requests().get().total() == 0) {
      return false;
    }
    var requests = read.requests().get();
    return 100.0 * requests.available() / requests.total() < MIN_SUCCESS_PERCENT;
  }
}
