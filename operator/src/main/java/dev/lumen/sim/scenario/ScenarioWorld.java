package dev.lumen.sim.scenario;

import dev.lumen.engine.Durations;
import dev.lumen.sim.SimCache;
import dev.lumen.sim.SimWorld;
import dev.lumen.sim.scenario.Journal.Entry;
import dev.lumen.sim.scenario.Scenario.Happening;
import dev.lumen.sim.scenario.Scenario.ServiceSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * Builds a scenario's world: its services with their first revision, their caches, and its
 * timeline, each happening written to the journal when it happens. The demo and the backtest build
 * the same world; they differ only in how Monitoring fails and where caches live.
 */
public final class ScenarioWorld {
  static final Duration DEFAULT_REFRESH = Duration.ofMinutes(4);
  static final int DEFAULT_LOOKUPS = 2000;

  /** Turns Cloud Monitoring off and on again. */
  public interface MonitoringSwitch {
    void set(boolean available);
  }

  private ScenarioWorld() {}

  /**
   * @param caches a cache for a service's usage: in Redis for the demo, in memory for the backtest
   */
  public static void build(
      Scenario scenario,
      SimWorld world,
      MonitoringSwitch monitoring,
      Function<ServiceSpec, SimCache> caches,
      Journal journal) {
    Instant start = scenario.startTime();
    for (ServiceSpec service : scenario.services()) {
      var ref = service.reference();
      world.addService(
          ref,
          service.revision().name(),
          service.requestsPerMinute(),
          start.minus(Duration.ofDays(1)));
      world.behave(
          ref, service.revision().name(), service.revision().over(SimWorld.Behaviour.HEALTHY));
      if (service.dailySwingPercent() != null) {
        world.shapeDaily(ref, service.dailySwingPercent() / 100);
      }
      if (service.cache() != null) {
        world.attachCache(ref, caches.apply(service));
      }
    }
    for (Happening h : scenario.timeline()) {
      schedule(scenario, world, monitoring, journal, start.plus(h.offset()), h);
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

  private static void schedule(
      Scenario scenario,
      SimWorld world,
      MonitoringSwitch monitoring,
      Journal journal,
      Instant at,
      Happening h) {
    if (h.deploy() != null) {
      var d = h.deploy();
      var ref = scenario.service(d.service()).reference();
      var behaviour = d.behaviour().over(SimWorld.Behaviour.HEALTHY);
      world.at(
          at,
          "deploy " + d.revision(),
          () -> {
            world.deploy(ref, d.revision(), behaviour, at);
            journal.add(
                new Entry(
                    at, d.service(), "Deploy", d.revision() + " deployed: " + describe(behaviour)));
          });
    } else if (h.behave() != null) {
      var b = h.behave();
      var ref = scenario.service(b.service()).reference();
      world.at(
          at,
          b.revision() + " changes",
          () -> {
            var behaviour = b.behaviour().over(world.behaviour(ref, b.revision()));
            world.behave(ref, b.revision(), behaviour);
            journal.add(
                new Entry(at, b.service(), "Fault", b.revision() + " now " + describe(behaviour)));
          });
    } else if (h.latencyCreep() != null) {
      var c = h.latencyCreep();
      var ref = scenario.service(c.service()).reference();
      long minutes = Math.max(1, Durations.parse(c.over()).toMinutes());
      double to = Durations.parse(c.toMedianLatency()).toMillis();
      journal(
          world,
          journal,
          at,
          c.service(),
          "Fault",
          c.revision()
              + " latency creeps to a median of "
              + c.toMedianLatency()
              + " over "
              + c.over());
      // Each minute's step starts from what the revision has then, so a creep composes with other
      // changes.
      double[] from = new double[1];
      for (long m = 0; m <= minutes; m++) {
        long step = m;
        world.at(
            at.plus(Duration.ofMinutes(m)),
            c.revision() + " latency step " + m,
            () -> {
              var now = world.behaviour(ref, c.revision());
              if (step == 0) {
                from[0] = now.medianLatencyMillis();
              }
              double median = from[0] + (to - from[0]) * step / minutes;
              world.behave(
                  ref,
                  c.revision(),
                  new SimWorld.Behaviour(now.errorRate(), median, now.coldStartRate()));
            });
      }
    } else if (h.monitoringOutage() != null) {
      Instant until = at.plus(Durations.parse(h.monitoringOutage().lasting()));
      world.at(
          at,
          "Monitoring outage",
          () -> {
            monitoring.set(false);
            journal.add(
                new Entry(at, "world", "Fault", "Cloud Monitoring unavailable until " + until));
          });
      world.at(
          until,
          "Monitoring back",
          () -> {
            monitoring.set(true);
            journal.add(new Entry(until, "world", "Recovered", "Cloud Monitoring answers again"));
          });
    } else {
      var e = h.editTraffic();
      var ref = scenario.service(e.service()).reference();
      world.at(
          at,
          "traffic edit",
          () -> {
            world.cloudRun().editTrafficOutsideLumen(ref, e.split());
            journal.add(
                new Entry(
                    at, e.service(), "Fault", "traffic set to " + e.split() + " outside Lumen"));
          });
    }
  }

  private static void journal(
      SimWorld world, Journal journal, Instant at, String subject, String kind, String text) {
    world.at(at, text, () -> journal.add(new Entry(at, subject, kind, text)));
  }

  static String describe(SimWorld.Behaviour b) {
    return String.format(
        java.util.Locale.ROOT,
        "%.1f %% errors, median latency %d ms, %.0f %% cold starts",
        b.errorRate() * 100,
        Math.round(b.medianLatencyMillis()),
        b.coldStartRate() * 100);
  }
}
