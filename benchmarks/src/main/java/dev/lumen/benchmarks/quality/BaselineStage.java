package dev.lumen.benchmarks.quality;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.ports.FakeCloudRun;
import dev.lumen.ports.FakeMetrics;
import dev.lumen.sim.scenario.Journal;
import dev.lumen.sim.scenario.Scenario;
import dev.lumen.sim.scenario.ScenarioWorld;
import dev.lumen.testkit.world.SimWorld;
import dev.lumen.testkit.world.SimWorld.ServedMinute;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A scenario's world for a baseline to drive instead of Lumen: the same simulated Cloud Run and
 * metrics the backtest uses, recording every minute served.
 */
record BaselineStage(
    FakeCloudRun cloudRun,
    FakeMetrics metrics,
    SimWorld world,
    List<ServedMinute> minutes,
    CloudRunServiceReference ref,
    String stable) {
  static BaselineStage of(Scenario scenario) {
    var cloudRun = new FakeCloudRun();
    var metrics = new FakeMetrics();
    var world = new SimWorld(cloudRun, metrics, scenario.seedOrDefault(), scenario.startTime());
    List<ServedMinute> minutes = new ArrayList<>();
    world.onMinute(minutes::add);
    ScenarioWorld.build(
        scenario,
        world,
        service -> {
          throw new IllegalArgumentException("the baselines do not tune caches");
        },
        new Journal());
    var service = scenario.services().get(0);
    return new BaselineStage(
        cloudRun, metrics, world, minutes, service.reference(), service.revision().name());
  }

  /** The newest ready revision, which a baseline takes for its canary once it is not stable. */
  String latest() {
    return cloudRun.find(ref.resourceName()).orElseThrow().latestReadyRevision();
  }

  int weightOf(String canary) {
    return cloudRun.find(ref.resourceName()).orElseThrow().traffic().getOrDefault(canary, 0);
  }

  /** Sends {@code canaryWeight} % to the canary and the rest to stable. */
  void route(String canary, int canaryWeight) {
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
