package dev.lumen.engine.rollout;

import dev.lumen.api.v1alpha1.AnalysisSpec;
import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.GatesSpec;
import dev.lumen.api.v1alpha1.LumenPolicySpec;
import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import dev.lumen.api.v1alpha1.PostPromotionSpec;
import dev.lumen.api.v1alpha1.RollbackSpec;
import dev.lumen.api.v1alpha1.RollbackTriggers;
import dev.lumen.api.v1alpha1.RolloutSpec;
import dev.lumen.api.v1alpha1.RolloutStep;
import dev.lumen.api.v1alpha1.ServiceReference;
import dev.lumen.api.v1alpha1.TuningSpec;
import dev.lumen.engine.canary.StableHistory;
import dev.lumen.engine.gate.CostUsage;
import dev.lumen.engine.gate.MaturityScore;
import dev.lumen.engine.measure.CacheCounts;
import dev.lumen.engine.measure.LatencyDistribution;
import dev.lumen.engine.measure.Minutes;
import dev.lumen.engine.measure.RequestCounts;
import dev.lumen.engine.measure.TrafficWindow;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Drives the engine as the reconciler will: it plays the Cloud Run service (applying traffic in
 * Enforce mode), lets revisions appear, moves time, and writes status to JSON and back between
 * decisions, as a restart would.
 */
final class Harness {
  static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
  static final KubernetesSerialization JSON = new KubernetesSerialization();
  static final double[] BOUNDS = LatencyDistribution.exponentialBounds(20, 1.4, 10);

  static final AnalysisSpec ANALYSIS =
      new AnalysisSpec("1m", 100, 2, "1", "15s", "95", true, "25", "95", "0.75", null, "0s");
  static final RollbackTriggers TRIGGERS = new RollbackTriggers("99", "1", true, true);
  static final List<RolloutStep> DEFAULT_STEPS =
      List.of(step(5, "10m"), step(10, "10m"), step(50, "10m"), step(100, null));

  final PolicyEngine engine = new PolicyEngine();
  LumenPolicySpec spec;
  LumenPolicyStatus status = new LumenPolicyStatus();
  Instant now = START;
  String latestReady = "web-001";
  Map<String, Integer> traffic = new LinkedHashMap<>(Map.of("web-001", 100));
  final Map<String, Instant> created =
      new HashMap<>(Map.of("web-001", START.minus(Duration.ofDays(1))));

  /** Canary traffic per minute of the current step; the harness multiplies it by the step age. */
  TrafficWindow canaryPerMinute = good(500);

  TrafficWindow stablePerMinute = good(9_500);
  Optional<CacheCounts> cache = Optional.empty();
  Optional<Duration> cacheTtl = Optional.empty();
  boolean cacheReadable = true;
  Optional<CostUsage> cost = Optional.empty();
  Optional<StableHistory> stableHistory = Optional.empty();
  Map<String, PolicyObservations.SloSummary> slos = Map.of();
  MaturityScore.Inputs maturity =
      new MaturityScore.Inputs(
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());
  final List<Decision> decisions = new ArrayList<>();

  Harness(LumenPolicySpec spec) {
    this.spec = spec;
  }

  static RolloutStep step(Integer weight, String pause) {
    return new RolloutStep(weight, pause, null);
  }

  static RolloutStep approval() {
    return new RolloutStep(null, null, new dev.lumen.api.v1alpha1.ApprovalStep());
  }

  static LumenPolicySpec policy(
      List<RolloutStep> steps,
      boolean automatic,
      String grace,
      LumenPolicySpec.Mode mode,
      GatesSpec gates,
      TuningSpec tuning) {
    return new LumenPolicySpec(
        new ServiceReference(new CloudRunServiceReference("my-project", "us-central1", "web")),
        mode,
        null,
        new RolloutSpec(
            steps,
            ANALYSIS,
            new RollbackSpec(automatic, grace, TRIGGERS),
            "30m",
            RolloutSpec.OnProgressDeadline.Hold,
            null,
            null),
        gates,
        tuning,
        null,
        null);
  }

  static LumenPolicySpec defaultPolicy() {
    return policy(DEFAULT_STEPS, true, "5m", LumenPolicySpec.Mode.Enforce, null, null);
  }

  static LumenPolicySpec withOnProgressDeadline(
      LumenPolicySpec spec, RolloutSpec.OnProgressDeadline onDeadline) {
    RolloutSpec r = spec.rollout();
    return withRollout(
        spec,
        new RolloutSpec(
            r.steps(),
            r.analysis(),
            r.rollback(),
            r.progressDeadline(),
            onDeadline,
            r.postPromotion(),
            r.revisionTags()));
  }

  /** {@code spec} counting {@code history} of stable's requests before a rollout. */
  static LumenPolicySpec withStableHistory(LumenPolicySpec spec, String history) {
    return withAnalysis(spec, spec.rollout().analysis().withStableHistory(history));
  }

  /** {@code spec} with another analysis. */
  static LumenPolicySpec withAnalysis(LumenPolicySpec spec, AnalysisSpec analysis) {
    RolloutSpec r = spec.rollout();
    return withRollout(
        spec,
        new RolloutSpec(
            r.steps(),
            analysis,
            r.rollback(),
            r.progressDeadline(),
            r.onProgressDeadline(),
            r.postPromotion(),
            r.revisionTags()));
  }

  /** {@code spec} with a watch of {@code window} after promotion. */
  static LumenPolicySpec withPostPromotion(LumenPolicySpec spec, String window) {
    RolloutSpec r = spec.rollout();
    return withRollout(
        spec,
        new RolloutSpec(
            r.steps(),
            r.analysis(),
            r.rollback(),
            r.progressDeadline(),
            r.onProgressDeadline(),
            new PostPromotionSpec(window),
            r.revisionTags()));
  }

  /** {@code spec} with another rollout, the rest as it is. */
  static LumenPolicySpec withRollout(LumenPolicySpec spec, RolloutSpec rollout) {
    return new LumenPolicySpec(
        spec.service(),
        spec.mode(),
        spec.sloTargets(),
        rollout,
        spec.gates(),
        spec.tuning(),
        spec.notifications(),
        spec.cache());
  }

  static TrafficWindow good(long n) {
    return traffic(n, n / 1000, 5);
  }

  static TrafficWindow traffic(long n, long serverErrors, int latencyBucket) {
    long[] counts = new long[BOUNDS.length + 1];
    counts[latencyBucket] = n;
    return TrafficWindow.of(
        new RequestCounts(n, 0, serverErrors), new LatencyDistribution(BOUNDS, counts));
  }

  void deploy(String revision) {
    latestReady = revision;
    created.put(revision, now);
  }

  Decision tick(Command... commands) {
    Set<Command> asked =
        commands.length == 0 ? EnumSet.noneOf(Command.class) : EnumSet.of(commands[0], commands);
    Decision decision = engine.decide(spec, status, 1, observations(), asked, now);
    decisions.add(decision);
    if (decision.enforced()) {
      for (Action action : decision.actions()) {
        if (action instanceof Action.SetTraffic set) {
          traffic = new LinkedHashMap<>(set.split());
        }
      }
    }
    status = JSON.unmarshal(JSON.asJson(decision.status()), LumenPolicyStatus.class);
    return decision;
  }

  PolicyObservations observations() {
    // The canary's minutes in its step; with no canary, a watched revision's since promotion.
    String since =
        status.getStepStartTime() != null
            ? status.getStepStartTime()
            : status.getRollout() != null && status.getRollout().watch() != null
                ? status.getRollout().watch().startTime()
                : null;
    long minutes = since == null ? 0 : Duration.between(Instant.parse(since), now).toMinutes();
    return new PolicyObservations(
        new ServiceSnapshot(latestReady, traffic, created, Optional.of(0)),
        Optional.of(times(canaryPerMinute, minutes)),
        Optional.of(times(stablePerMinute, minutes)),
        since == null
            ? Optional.empty()
            : Optional.of(
                new Minutes(
                    Instant.parse(since), Instant.parse(since).plus(Duration.ofMinutes(minutes)))),
        slos,
        cache,
        Duration.ofMinutes(30),
        cacheTtl,
        cacheReadable,
        cost,
        maturity,
        Optional.empty(),
        stableHistory,
        Optional.empty());
  }

  private static TrafficWindow times(TrafficWindow perMinute, long minutes) {
    RequestCounts r = perMinute.requests();
    long[] counts = perMinute.latency().orElseThrow().counts();
    for (int i = 0; i < counts.length; i++) {
      counts[i] *= minutes;
    }
    return TrafficWindow.of(
        new RequestCounts(
            r.total() * minutes, r.clientErrors() * minutes, r.serverErrors() * minutes),
        new LatencyDistribution(BOUNDS, counts));
  }

  /** Ticks once a minute for {@code minutes} minutes. */
  void run(int minutes) {
    for (int i = 0; i < minutes; i++) {
      now = now.plus(Duration.ofMinutes(1));
      tick();
    }
  }

  List<String> eventKinds() {
    return eventKinds(0);
  }

  /** The kinds of the events told from the {@code from}-th decision on. */
  List<String> eventKinds(int from) {
    return decisions.subList(from, decisions.size()).stream()
        .flatMap(d -> d.actions().stream())
        .filter(a -> a instanceof Action.Event)
        .map(Action::kind)
        .toList();
  }

  /** The texts of the events of {@code kind} told so far. */
  List<String> eventTexts(String kind) {
    return decisions.stream()
        .flatMap(d -> d.actions().stream())
        .filter(a -> a instanceof Action.Event e && e.kind().equals(kind))
        .map(a -> ((Action.Event) a).reason())
        .toList();
  }

  Condition condition(String type) {
    return status.getConditions().stream()
        .filter(c -> c.type().equals(type))
        .findFirst()
        .orElseThrow();
  }
}
