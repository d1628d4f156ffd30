package dev.lumen.sim.scenario;

import dev.lumen.act.ChangeApplier;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.LumenPolicySpec;
import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.api.v1alpha1.SLOTargetStatus;
import dev.lumen.api.v1alpha1.SecretKeyReference;
import dev.lumen.clock.VirtualClock;
import dev.lumen.cycle.DecisionSink;
import dev.lumen.cycle.HeldStatus;
import dev.lumen.cycle.PolicyCycle;
import dev.lumen.cycle.PolicySink;
import dev.lumen.cycle.Readiness;
import dev.lumen.cycle.SloCycle;
import dev.lumen.engine.Severity;
import dev.lumen.engine.rollout.PolicyEngine;
import dev.lumen.observe.BatchedMetrics;
import dev.lumen.observe.CacheReadings;
import dev.lumen.observe.PolicyObserver;
import dev.lumen.observe.ServiceListings;
import dev.lumen.observe.SloObserver;
import dev.lumen.ports.Backends;
import dev.lumen.ports.FakeCloudRun;
import dev.lumen.ports.FakeMetrics;
import dev.lumen.ports.InMemoryCacheStore;
import dev.lumen.ports.MetricSource;
import dev.lumen.ports.PortException;
import dev.lumen.sim.scenario.Journal.Entry;
import dev.lumen.testkit.world.SimCache;
import dev.lumen.testkit.world.SimWorld;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs a scenario in virtual time with no servers: the world writes its minutes to in-memory Cloud
 * Run and Monitoring, and the operator's own {@link PolicyCycle} and {@link SloCycle} run each
 * policy and SLOTarget when it is due, as the reconcilers do. A day of minutes takes well under a
 * second.
 */
public final class Backtest {
  private static final String NAMESPACE = "backtest";

  /** One uid for all: every idle evaluation falls on the whole minute, as the world's do. */
  private static final String UID = "";

  /** Builds the world a backtest runs in: a scenario's, or a recording's. */
  @FunctionalInterface
  public interface WorldBuilder {
    void build(
        SimWorld world,
        java.util.function.Function<Scenario.ServiceSpec, SimCache> caches,
        Journal journal);
  }

  private final ScenarioFile.Loaded loaded;
  private final Duration dataDelay;
  private final WorldBuilder worldBuilder;
  private final Recording recording = new Recording();
  private final StatusWatcher watcher = new StatusWatcher(recording);
  private final FakeCloudRun cloudRun = new FakeCloudRun();
  private final FakeMetrics metrics = new FakeMetrics();
  private final Map<String, InMemoryCacheStore> caches = new HashMap<>();
  private final Map<SecretKeyReference, URI> cacheUrls = new HashMap<>();
  private volatile boolean monitoringUp = true;
  private VirtualClock clock;
  private java.util.function.Function<FakeMetrics.Point, Duration> arrival;

  /**
   * @param dataDelay how late metric data is taken to arrive, as the operator's setting
   */
  public Backtest(ScenarioFile.Loaded loaded, Duration dataDelay) {
    this(
        loaded,
        dataDelay,
        (world, caches, journal) -> ScenarioWorld.build(loaded.scenario(), world, caches, journal));
  }

  public Backtest(ScenarioFile.Loaded loaded, Duration dataDelay, WorldBuilder worldBuilder) {
    this.loaded = loaded;
    this.dataDelay = dataDelay;
    this.worldBuilder = worldBuilder;
  }

  /**
   * A scenario's data delay: its world writes each minute at once, and the demo runs the operator
   * on it with this delay, so a scenario's backtest and its demo decide alike.
   */
  public static final Duration SCENARIO_DATA_DELAY = Duration.ofMinutes(1);

  /** A scenario's backtest, with the demo's data delay. */
  public static Recording run(ScenarioFile.Loaded loaded) {
    return new Backtest(loaded, SCENARIO_DATA_DELAY).run();
  }

  /**
   * Metric points arrive this long after their minute ends, each on its own, instead of at once:
   * Cloud Monitoring's data comes one to three minutes late, each series on its own.
   */
  public Backtest arrivingLate(java.util.function.Function<FakeMetrics.Point, Duration> arrival) {
    this.arrival = arrival;
    return this;
  }

  public Recording run() {
    Scenario scenario = loaded.scenario();
    clock = new VirtualClock(scenario.startTime());
    if (arrival != null) {
      metrics.arriveLate(clock::instant, arrival);
    }
    var world = new SimWorld(cloudRun, metrics, scenario.seedOrDefault(), scenario.startTime());
    world.onMinute(recording::served);
    world.monitoringAvailability(up -> monitoringUp = up);
    worldBuilder.build(world, this::memoryCache, recording.journal());
    var backends =
        new Backends(
            cloudRun,
            new Switchable(metrics),
            url -> caches.get(url.getHost()),
            Backends.noPrometheus());
    var batched = new BatchedMetrics(clock);
    var listings = new ServiceListings(clock);
    var cacheReadings = new CacheReadings();
    var policyCycle =
        new PolicyCycle(
            new PolicyEngine(),
            new PolicyObserver(backends, batched, listings, cacheReadings, dataDelay),
            new ChangeApplier(backends, listings),
            clock,
            PolicyCycle.FAILURE_RETRY);
    var sloCycle =
        new SloCycle(new SloObserver(backends, batched, cacheReadings, dataDelay), clock);

    Instant start = scenario.startTime();
    List<SloRun> slos = new ArrayList<>();
    loaded.sloTargets().forEach(t -> slos.add(new SloRun(t, start)));
    List<PolicyRun> policies = new ArrayList<>();
    loaded.policies().forEach(p -> policies.add(new PolicyRun(p, start)));

    Instant end = scenario.endTime();
    Instant now = start;
    while (!now.isAfter(end)) {
      clock.set(now);
      world.advanceTo(now);
      for (SloRun slo : slos) {
        if (!slo.due.isAfter(now)) {
          slo.evaluate(sloCycle);
        }
      }
      for (PolicyRun policy : policies) {
        if (!policy.due.isAfter(now)) {
          policy.cycle(policyCycle, slos);
        }
      }
      Instant next = end.plusSeconds(1);
      for (SloRun slo : slos) {
        next = min(next, slo.due);
      }
      for (PolicyRun policy : policies) {
        next = min(next, policy.due);
      }
      // The world serves every minute even when nothing is due.
      next = min(next, now.plus(Duration.ofMinutes(1)));
      now = next.isAfter(now) ? next : now.plusSeconds(1);
    }
    return recording;
  }

  private SimCache memoryCache(Scenario.ServiceSpec service) {
    var store = new InMemoryCacheStore();
    caches.put(service.name(), store);
    cacheUrls.put(service.cache().urlSecretRef(), URI.create("memory://" + service.name()));
    return SimCache.inMemory(store, ScenarioWorld.usage(service));
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  /** An SLOTarget of the scenario, evaluated by the shipped {@link SloCycle}. */
  private final class SloRun implements DecisionSink<SLOTargetStatus> {
    final String name;
    final SLOTarget target;
    final HeldStatus<SLOTargetStatus> status = new HeldStatus<>(null);
    Instant due;

    SloRun(SLOTarget target, Instant start) {
      this.name = target.getMetadata().getName();
      this.target = target;
      this.due = start;
    }

    void evaluate(SloCycle cycle) {
      var input =
          new SloCycle.Input(
              "SLOTarget/" + NAMESPACE + "/" + name,
              UID,
              1,
              target.getSpec(),
              Readiness.accepted("backtest"),
              conditions -> conditions,
              Optional.empty());
      due = clock.instant().plus(cycle.run(input, status, this).next().orElseThrow());
    }

    @Override
    public void event(boolean warning, String reason, String message) {
      // The journal tells state changes from status, as the demo does from the API server.
    }

    @Override
    public void notify(Severity severity, String kind, String message) {}

    @Override
    public void report(SLOTargetStatus written) {
      watcher.sloTarget(name, written);
    }

    @Override
    public void failed(RuntimeException failure) {
      recording
          .journal()
          .add(new Entry(clock.instant(), name, "ReconcileFailing", failure.toString()));
    }
  }

  /**
   * A policy of the scenario, run by the shipped {@link PolicyCycle}: pending changes, waiting
   * tuning changes and DryRun as in the operator; no person steers it.
   */
  private final class PolicyRun implements PolicySink {
    final String name;
    final LumenPolicySpec spec;
    final Optional<URI> redis;
    final HeldStatus<LumenPolicyStatus> status = new HeldStatus<>(null);
    Instant due;
    List<String> gaps = List.of();

    PolicyRun(LumenPolicy policy, Instant start) {
      this.name = policy.getMetadata().getName();
      this.spec = policy.getSpec();
      this.due = start;
      this.redis =
          PolicyObserver.redisOf(spec)
              .flatMap(r -> Optional.ofNullable(cacheUrls.get(r.urlSecretRef())));
    }

    void cycle(PolicyCycle cycle, List<SloRun> slos) {
      Instant now = clock.instant();
      Map<String, SLOTargetStatus> named = new HashMap<>();
      for (SloRun slo : slos) {
        if (slo.status.current() != null
            && spec.sloTargets() != null
            && spec.sloTargets().contains(slo.name)) {
          named.put(slo.name, slo.status.current());
        }
      }
      var input =
          new PolicyCycle.Input(
              "LumenPolicy/" + NAMESPACE + "/" + name,
              UID,
              1,
              spec,
              Readiness.accepted("backtest"),
              Set.of(),
              redis,
              named);
      var outcome = cycle.run(input, status, this);
      if (!outcome.gaps().equals(gaps)) {
        gaps = outcome.gaps();
        recording
            .journal()
            .add(
                new Entry(
                    now,
                    name,
                    gaps.isEmpty() ? "DataBack" : "MissingData",
                    gaps.isEmpty() ? "every source answers again" : String.join("; ", gaps)));
      }
      due = now.plus(outcome.next().orElseThrow());
    }

    @Override
    public void event(boolean warning, String reason, String message) {
      // Decisions reach the journal from status (recentDecisions); the change protocol's own
      // events have no other trace.
      if (PolicyCycle.PROTOCOL_EVENTS.contains(reason)) {
        recording.journal().add(new Entry(clock.instant(), name, reason, message));
      }
    }

    @Override
    public void notify(Severity severity, String kind, String message) {}

    @Override
    public void decided(String kind, boolean enforced) {}

    @Override
    public void removeAnnotations(List<String> keys) {}

    @Override
    public void failed(RuntimeException failure) {
      // The ReconcileFailing event journals it.
    }

    @Override
    public void report(LumenPolicyStatus written) {
      watcher.policy(name, written, clock.instant());
    }
  }

  /** Cloud Monitoring that a scenario's outage turns off. */
  private final class Switchable implements MetricSource {
    private final MetricSource delegate;

    Switchable(MetricSource delegate) {
      this.delegate = delegate;
    }

    @Override
    public Map<RevisionKey, RevisionMetrics> read(MetricRequest request) {
      check();
      return delegate.read(request);
    }

    @Override
    public Map<String, Double> memorystoreHitRatios(
        String project, Set<String> instanceIds, Instant start, Instant end) {
      check();
      return delegate.memorystoreHitRatios(project, instanceIds, start, end);
    }

    @Override
    public List<dev.lumen.engine.measure.Sample> customSeries(
        String project, dev.lumen.ports.CustomSeriesQuery query, Instant start, Instant end) {
      check();
      return delegate.customSeries(project, query, start, end);
    }

    @Override
    public List<dev.lumen.engine.measure.Sample> promqlSeries(
        String project, String query, Instant start, Instant end, java.time.Duration step) {
      check();
      return delegate.promqlSeries(project, query, start, end, step);
    }

    private void check() {
      if (!monitoringUp) {
        throw PortException.transientFailure(
            "Cloud Monitoring: UNAVAILABLE (simulated outage)", null);
      }
    }

    @Override
    public void close() {}
  }
}
