package dev.lumen.sim.scenario;

import dev.lumen.engine.Durations;
import dev.lumen.sim.scenario.Journal.Entry;
import dev.lumen.sim.scenario.Scenario.Happening;
import dev.lumen.sim.scenario.Scenario.ServiceSpec;
import dev.lumen.testkit.world.SimCache;
import dev.lumen.testkit.world.SimWorld;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * Builds a scenario's world: its services with their first revision, their caches, and its
 * timeline, each happening written to the journal when it happens. The demo and the backtest build
 * the same world; they differ in how Monitoring fails (set on the world) and where caches live.
 */
public final class ScenarioWorld {
  static final Duration DEFAULT_REFRESH = Duration.ofMinutes(4);
  static final int DEFAULT_LOOKUPS = 2000;

  private ScenarioWorld() {}

  /**
   * @param caches a cache for a service's usage: in Redis for the demo, in memory for the backtest
   */
  public static void build(
      Scenario scenario, SimWorld world, Function<ServiceSpec, SimCache> caches, Journal journal) {
    Instant start = scenario.startTime();
    for (ServiceSpec service : scenario.services()) {
      var ref = service.reference();
      Duration history =
          service.history() == null ? Duration.ZERO : Durations.parse(service.history());
      Duration age = history.compareTo(Duration.ofDays(1)) > 0 ? history : Duration.ofDays(1);
      world.addService(
          ref, service.revision().name(), service.requestsPerMinute(), start.minus(age));
      world.behave(
          ref, service.revision().name(), service.revision().over(SimWorld.Behaviour.HEALTHY));
      if (service.dailySwingPercent() != null) {
        world.shapeDaily(ref, service.dailySwingPercent() / 100);
      }
      if (!history.isZero()) {
        world.serveHistory(ref, history);
      }
      if (service.cache() != null) {
        world.attachCache(ref, caches.apply(service));
      }
    }
    for (var metric : scenario.metrics()) {
      world.customMetric(metric.metric(), metric.value());
    }
    world.onHappening(h -> journal.add(new Entry(h.at(), h.subject(), h.kind(), h.what())));
    for (Happening h : scenario.timeline()) {
      schedule(scenario, world, start.plus(h.offset()), h);
    }
  }

  /** How the application of {@code service} uses its cache. */
  public static SimCache.Usage usage(ServiceSpec service) {
    var cache = service.cache();
    return new SimCache.Usage(
        cache.ttlKey() != null ? cache.ttlKey() : "lumen:ttl:" + service.name(),
        Durations.parse(cache.defaultTtl()),
        cache.refreshTime() == null ? DEFAULT_REFRESH : Durations.parse(cache.refreshTime()),
        cache.lookupsPerMinute() == null ? DEFAULT_LOOKUPS : cache.lookupsPerMinute());
  }

  private static void schedule(Scenario scenario, SimWorld world, Instant at, Happening h) {
    if (h.deploy() != null) {
      var d = h.deploy();
      world.deployAt(
          scenario.service(d.service()).reference(),
          d.revision(),
          d.behaviour().over(SimWorld.Behaviour.HEALTHY),
          at);
    } else if (h.behave() != null) {
      var b = h.behave();
      world.behaveAt(
          scenario.service(b.service()).reference(), b.revision(), b.behaviour()::over, at);
    } else if (h.latencyCreep() != null) {
      var c = h.latencyCreep();
      world.latencyCreep(
          scenario.service(c.service()).reference(),
          c.revision(),
          Durations.parse(c.toMedianLatency()).toMillis(),
          at,
          Durations.parse(c.over()));
    } else if (h.monitoringOutage() != null) {
      world.monitoringOutage(at, at.plus(Durations.parse(h.monitoringOutage().lasting())));
    } else if (h.setMetric() != null) {
      world.customMetricAt(h.setMetric().metric(), h.setMetric().value(), at);
    } else {
      var e = h.editTraffic();
      world.trafficEditOutsideLumen(scenario.service(e.service()).reference(), e.split(), at);
    }
  }
}
