package dev.lumen.sim.scenario;

import dev.lumen.act.ChangeApplier;
import dev.lumen.act.Changes;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.LumenPolicySpec;
import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.api.v1alpha1.SLOTargetStatus;
import dev.lumen.api.v1alpha1.SecretKeyReference;
import dev.lumen.clock.VirtualClock;
import dev.lumen.engine.Durations;
import dev.lumen.engine.rollout.Decision;
import dev.lumen.engine.rollout.PolicyEngine;
import dev.lumen.engine.slo.SloEvaluator;
import dev.lumen.engine.slo.SloStatusBuilder;
import dev.lumen.observe.BatchedMetrics;
import dev.lumen.observe.CacheReadings;
import dev.lumen.observe.PolicyObserver;
import dev.lumen.observe.SloObserver;
import dev.lumen.ports.Backends;
import dev.lumen.ports.FakeCloudRun;
import dev.lumen.ports.FakeMetrics;
import dev.lumen.ports.InMemoryCacheStore;
import dev.lumen.ports.MetricSource;
import dev.lumen.ports.PortException;
import dev.lumen.reconciler.lumenpolicy.LumenPolicyReconciler;
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
 * Run and Monitoring, and Lumen's own observers, engine and change applier run each policy and
 * SLOTarget when it is due, as the reconcilers would. A day of minutes takes well under a second.
 */
public final class Backtest {
  private static final String NAMESPACE = "backtest";

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
  private final PolicyEngine engine = new PolicyEngine();
  private final SloEvaluator evaluator = new SloEvaluator();
  private volatile boolean monitoringUp = true;

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

  public static Recording run(ScenarioFile.Loaded loaded) {
    return new Backtest(loaded, Duration.ofMinutes(1)).run();
  }

  public Recording run() {
    Scenario scenario = loaded.scenario();
    var world = new SimWorld(cloudRun, metrics, scenario.seedOrDefault(), scenario.startTime());
    world.onMinute(recording::served);
    world.monitoringAvailability(up -> monitoringUp = up);
    worldBuilder.build(world, this::memoryCache, recording.journal());
    var backends =
        new Backends(
            cloudRun,
            new Switchable(metrics),
            url -> caches.get(url.getHost()),
            Backends.noPrometheus(),
            Backends.noPrometheus());
    var clock = new VirtualClock(scenario.startTime());
    var batched = new BatchedMetrics(clock);
    var cacheReadings = new CacheReadings();
    var policyObserver = new PolicyObserver(backends, batched, cacheReadings, dataDelay);
    var sloObserver = new SloObserver(backends, batched, cacheReadings, dataDelay);
    var applier = new ChangeApplier(backends);

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
          slo.evaluate(sloObserver, now);
        }
      }
      for (PolicyRun policy : policies) {
        if (!policy.due.isAfter(now)) {
          policy.cycle(policyObserver, applier, slos, now);
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

  private final class SloRun {
    final String name;
    final SLOTarget target;
    SLOTargetStatus status;
    Instant due;

    SloRun(SLOTarget target, Instant start) {
      this.name = target.getMetadata().getName();
      this.target = target;
      this.due = start;
    }

    void evaluate(SloObserver observer, Instant now) {
      var spec = target.getSpec();
      var seen = observer.observe("SLOTarget/" + NAMESPACE + "/" + name, spec, now);
      var evaluation = evaluator.evaluate(spec, seen.observations(), now);
      status = SloStatusBuilder.build(status, evaluation, 1, now);
      watcher.sloTarget(name, status);
      due = now.plus(Durations.parse(spec.evaluationInterval()));
    }
  }

  private final class PolicyRun {
    final String name;
    final LumenPolicySpec spec;
    final Optional<URI> redis;
    LumenPolicyStatus status = new LumenPolicyStatus();
    Instant due;
    List<String> gaps = List.of();

    PolicyRun(LumenPolicy policy, Instant start) {
      this.name = policy.getMetadata().getName();
      this.spec = policy.getSpec();
      this.due = start;
      this.redis =
          spec.tuning() != null && spec.tuning().cacheTtl() != null
              ? Optional.ofNullable(cacheUrls.get(spec.tuning().cacheTtl().redis().urlSecretRef()))
              : Optional.empty();
    }

    void cycle(PolicyObserver observer, ChangeApplier applier, List<SloRun> slos, Instant now) {
      Map<String, SLOTargetStatus> named = new HashMap<>();
      for (SloRun slo : slos) {
        if (slo.status != null
            && spec.sloTargets() != null
            && spec.sloTargets().contains(slo.name)) {
          named.put(slo.name, slo.status);
        }
      }
      var seen =
          observer.observe(
              "LumenPolicy/" + NAMESPACE + "/" + name, spec, status, named, redis, now);
      if (!seen.gaps().equals(gaps)) {
        gaps = seen.gaps();
        recording
            .journal()
            .add(
                new Entry(
                    now,
                    name,
                    gaps.isEmpty() ? "DataBack" : "MissingData",
                    gaps.isEmpty() ? "every source answers again" : String.join("; ", gaps)));
      }
      Decision decision = engine.decide(spec, status, 1, seen.observations(), Set.of(), now);
      if (decision.enforced()) {
        for (var change : Changes.of(decision.actions())) {
          try {
            applier.apply(change, spec, seen.live().tags(), redis);
          } catch (PortException e) {
            recording
                .journal()
                .add(new Entry(now, name, "ChangeFailed", change.kind() + ": " + e.getMessage()));
          }
        }
      }
      status = decision.status();
      watcher.policy(name, status, now);
      due =
          now.plus(
              LumenPolicyReconciler.nextCheck(
                  spec, status, now, LumenPolicyReconciler.IDLE_INTERVAL));
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
