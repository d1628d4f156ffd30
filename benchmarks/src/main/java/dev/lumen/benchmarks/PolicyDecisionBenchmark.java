package dev.lumen.benchmarks;

import dev.lumen.api.v1alpha1.AnalysisSpec;
import dev.lumen.api.v1alpha1.AnalysisStatus;
import dev.lumen.api.v1alpha1.BudgetGate;
import dev.lumen.api.v1alpha1.CacheTtlTuning;
import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.api.v1alpha1.GateAction;
import dev.lumen.api.v1alpha1.GatesSpec;
import dev.lumen.api.v1alpha1.LumenPolicySpec;
import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import dev.lumen.api.v1alpha1.MaturityGate;
import dev.lumen.api.v1alpha1.MinInstancesTuning;
import dev.lumen.api.v1alpha1.PostPromotionSpec;
import dev.lumen.api.v1alpha1.RedisReference;
import dev.lumen.api.v1alpha1.RoiGate;
import dev.lumen.api.v1alpha1.RollbackSpec;
import dev.lumen.api.v1alpha1.RollbackTriggers;
import dev.lumen.api.v1alpha1.RolloutSpec;
import dev.lumen.api.v1alpha1.RolloutStatus;
import dev.lumen.api.v1alpha1.RolloutStep;
import dev.lumen.api.v1alpha1.SLOTargetStatus.SloState;
import dev.lumen.api.v1alpha1.SecretKeyReference;
import dev.lumen.api.v1alpha1.ServiceReference;
import dev.lumen.api.v1alpha1.SloGate;
import dev.lumen.api.v1alpha1.TuningSpec;
import dev.lumen.engine.canary.ComparisonBasis;
import dev.lumen.engine.gate.CostUsage;
import dev.lumen.engine.gate.MaturityScore;
import dev.lumen.engine.measure.CacheCounts;
import dev.lumen.engine.measure.LatencyDistribution;
import dev.lumen.engine.measure.Minutes;
import dev.lumen.engine.measure.RequestCounts;
import dev.lumen.engine.measure.TrafficWindow;
import dev.lumen.engine.rollout.Decision;
import dev.lumen.engine.rollout.PolicyEngine;
import dev.lumen.engine.rollout.PolicyObservations;
import dev.lumen.engine.rollout.ServiceSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One full policy decision in the middle of a rollout, with everything switched on: the analysis is
 * due (five checks, the latency one on 40-bucket histograms, and what the traffic can rule out),
 * four gates, health, maturity, both tuning loops, conditions and recent decisions. Target: p99
 * below 50 µs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PolicyDecisionBenchmark {
  static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  static final double[] BOUNDS = LatencyDistribution.exponentialBounds(30, 1.4, 1);

  PolicyEngine engine;
  LumenPolicySpec spec;
  LumenPolicyStatus status;
  PolicyObservations observations;

  @Setup
  public void setUp() {
    engine = new PolicyEngine();
    var analysis =
        new AnalysisSpec("1m", 100, 2, "1", "15s", "95", true, "25", "95", "0.75", null, "0s");
    var rollout =
        new RolloutSpec(
            List.of(
                new RolloutStep(5, "10m", null),
                new RolloutStep(10, "10m", null),
                new RolloutStep(50, "10m", null),
                new RolloutStep(100, null, null)),
            analysis,
            new RollbackSpec(true, "5m", new RollbackTriggers("99", "1", true, true)),
            "30m",
            RolloutSpec.OnProgressDeadline.Hold,
            new PostPromotionSpec("30m"),
            null);
    var gates =
        new GatesSpec(
            new SloGate(SloGate.FailOn.Critical, GateAction.Block, null),
            new RoiGate("9.36", null, "0.02", "500", "300", null),
            new BudgetGate("200", "USD", List.of("80", "90", "100"), null, null, null),
            new MaturityGate("50", GateAction.Block));
    var tuning =
        new TuningSpec(
            new MinInstancesTuning(0, 3, "10", "80", "90", "15m"),
            new CacheTtlTuning(
                new RedisReference(new SecretKeyReference("redis", "url"), null),
                "5m",
                "1h",
                "70",
                "90",
                "30m"));
    spec =
        new LumenPolicySpec(
            new ServiceReference(new CloudRunServiceReference("my-project", "us-central1", "web")),
            LumenPolicySpec.Mode.Enforce,
            List.of("web"),
            rollout,
            gates,
            tuning,
            null,
            null);
    status = new LumenPolicyStatus();
    status.setStableRevision("web-001");
    status.setCanaryRevision("web-002");
    status.setCanaryWeight(10);
    status.setStep(1);
    status.setStepStartTime(NOW.minus(Duration.ofMinutes(5)).toString());
    status.setRollout(
        new RolloutStatus(
            null,
            0,
            new AnalysisStatus(
                NOW.minus(Duration.ofMinutes(2)).toString(),
                AnalysisStatus.Verdict.Pass,
                "1",
                2500L,
                List.of()),
            null,
            false,
            null,
            null,
            List.of(
                new RolloutStatus.TrafficShare("web-001", 90),
                new RolloutStatus.TrafficShare("web-002", 10)),
            new RolloutStatus.EarlierStepsStatus(
                new RolloutStatus.RequestCountsStatus(5_000L, 5L, 5L),
                new RolloutStatus.RequestCountsStatus(95_000L, 95L, 95L),
                // The first step's evidence, read back and added to as the operator does.
                new RolloutStatus.EvidenceStatus(
                    ComparisonBasis.of(analysis).describe(),
                    List.of("-1.2", "-2.5", "-4.1", "-6", "-8.3", "-11"),
                    "0.9",
                    "-2",
                    List.of("-3.5", "-7", "-11", "-15", "-20", "-26"),
                    "2.3"),
                null),
            null,
            null,
            null,
            null,
            null));
    observations =
        new PolicyObservations(
            new ServiceSnapshot(
                "web-002",
                Map.of("web-001", 90, "web-002", 10),
                Map.of(
                    "web-001",
                    NOW.minus(Duration.ofDays(2)),
                    "web-002",
                    NOW.minus(Duration.ofHours(1))),
                Optional.of(1)),
            Optional.of(traffic(2_500, 3, 14)),
            Optional.of(traffic(22_500, 20, 13)),
            Optional.of(
                new Minutes(NOW.minus(Duration.ofMinutes(6)), NOW.minus(Duration.ofMinutes(1)))),
            Map.of("web", new PolicyObservations.SloSummary(SloState.Healthy, Optional.of(100.0))),
            Optional.of(new CacheCounts(80_000, 20_000)),
            Duration.ofMinutes(30),
            Optional.of(Duration.ofMinutes(10)),
            true,
            Optional.of(new CostUsage(1_500_000, 30_000_000, 1, 0.5)),
            new MaturityScore.Inputs(
                Optional.of(3.0),
                Optional.of(180.0),
                Optional.of(0.1),
                Optional.of(99.9),
                Optional.of(80.0),
                Optional.of(0.05)),
            Optional.of(4.0),
            Optional.empty(),
            Optional.empty());
  }

  static TrafficWindow traffic(long n, long errors, int center) {
    long[] counts = new long[BOUNDS.length + 1];
    counts[center - 2] = n / 10;
    counts[center - 1] = n / 5;
    counts[center] = n / 3;
    counts[center + 1] = n / 5;
    counts[center + 2] = n - n / 10 - n / 5 - n / 3 - n / 5;
    return TrafficWindow.of(
        new RequestCounts(n, errors / 2, errors - errors / 2),
        new LatencyDistribution(BOUNDS, counts));
  }

  @Benchmark
  public Decision decide() {
    return engine.decide(spec, status, 3, observations, Set.of(), NOW);
  }
}
