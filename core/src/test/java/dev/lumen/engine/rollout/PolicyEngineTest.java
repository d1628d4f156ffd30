package dev.lumen.engine.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.BudgetGate;
import dev.lumen.api.v1alpha1.CacheTtlTuning;
import dev.lumen.api.v1alpha1.GatesSpec;
import dev.lumen.api.v1alpha1.HealthStatus.Grade;
import dev.lumen.api.v1alpha1.LumenPolicySpec.Mode;
import dev.lumen.api.v1alpha1.RedisReference;
import dev.lumen.api.v1alpha1.RoiGate;
import dev.lumen.api.v1alpha1.SLOTargetStatus.SloState;
import dev.lumen.api.v1alpha1.SecretKeyReference;
import dev.lumen.api.v1alpha1.TuningSpec;
import dev.lumen.engine.gate.CostUsage;
import dev.lumen.engine.measure.CacheCounts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyEngineTest {
  static final GatesSpec BUDGET =
      new GatesSpec(
          null,
          null,
          new BudgetGate("200", "USD", List.of("80", "90", "100"), null, null, null),
          null);
  static final TuningSpec TTL =
      new TuningSpec(
          null,
          new CacheTtlTuning(
              new RedisReference(new SecretKeyReference("redis", "url"), null),
              "5m",
              "1h",
              "70",
              "90",
              "30m"));

  /** Usage worth {@code percent} of a 200 USD budget at 0.40 USD per million requests. */
  static Optional<CostUsage> spending(double percent) {
    return Optional.of(new CostUsage(0, (long) (percent * 2 / 0.40 * 1_000_000), 1, 0.5));
  }

  static List<String> notices(Decision decision) {
    return decision.actions().stream()
        .filter(a -> a instanceof Action.Notify)
        .map(Action::reason)
        .toList();
  }

  @Test
  void eachBudgetThresholdIsAnnouncedOncePerMonth() {
    var h =
        new Harness(Harness.policy(Harness.DEFAULT_STEPS, true, "5m", Mode.Enforce, BUDGET, null));
    h.cost = spending(85);

    assertThat(notices(h.tick()))
        .singleElement()
        .asString()
        .startsWith("budget threshold 80 % reached");
    assertThat(notices(h.tick())).isEmpty();
    h.cost = spending(95);
    assertThat(notices(h.tick()))
        .singleElement()
        .asString()
        .startsWith("budget threshold 90 % reached");
    assertThat(h.status.getBudget().notifiedThresholds()).containsExactly("80", "90");
    assertThat(h.status.getBudget().usedPercent()).isEqualTo("95");

    h.now = Instant.parse("2026-12-02T00:00:00Z");
    h.cost = spending(85);
    assertThat(notices(h.tick()))
        .singleElement()
        .asString()
        .startsWith("budget threshold 80 % reached");
    assertThat(h.status.getBudget().month()).isEqualTo("2026-12");
  }

  @Test
  void theTtlLoopActsThroughTheEngineAndRecordsWhenItChanged() {
    var h = new Harness(Harness.policy(Harness.DEFAULT_STEPS, true, "5m", Mode.Enforce, null, TTL));
    h.cacheTtl = Optional.of(Duration.ofMinutes(10));
    h.cache = Optional.of(new CacheCounts(600, 400));

    Decision decision = h.tick();

    assertThat(decision.actions())
        .filteredOn(a -> a instanceof Action.SetCacheTtl)
        .singleElement()
        .satisfies(
            a -> assertThat(((Action.SetCacheTtl) a).ttl()).isEqualTo(Duration.ofMinutes(15)));
    assertThat(h.status.getTuning().cacheTtl()).isEqualTo("15m");
    assertThat(h.status.getTuning().cacheTtlChangedAt()).isEqualTo(h.now.toString());
    h.now = h.now.plus(Duration.ofMinutes(10));
    assertThat(h.tick().actions()).noneMatch(a -> a instanceof Action.SetCacheTtl);
  }

  /**
   * Redis not answering is no TTL missing: the loop neither publishes nor republishes, and no
   * change waits in status for a Redis that is down; when Redis answers without the key, the TTL
   * Lumen published is published again, and its cooldown goes on.
   */
  @Test
  void theTtlLoopDecidesNothingWhileRedisDoesNotAnswer() {
    var h = new Harness(Harness.policy(Harness.DEFAULT_STEPS, true, "5m", Mode.Enforce, null, TTL));
    h.cacheTtl = Optional.of(Duration.ofMinutes(10));
    h.cache = Optional.of(new CacheCounts(600, 400));
    h.tick();
    String changedAt = h.status.getTuning().cacheTtlChangedAt();

    h.now = h.now.plus(Duration.ofMinutes(1));
    h.cacheReadable = false;
    h.cacheTtl = Optional.empty();
    h.cache = Optional.empty();
    assertThat(h.tick().actions()).noneMatch(a -> a instanceof Action.SetCacheTtl);

    h.now = h.now.plus(Duration.ofMinutes(1));
    h.cacheReadable = true;
    assertThat(h.tick().actions())
        .filteredOn(a -> a instanceof Action.SetCacheTtl)
        .singleElement()
        .satisfies(
            a -> assertThat(((Action.SetCacheTtl) a).ttl()).isEqualTo(Duration.ofMinutes(15)));
    assertThat(h.status.getTuning().cacheTtlChangedAt()).isEqualTo(changedAt);
  }

  @Test
  void healthCombinesRoiAndSloComplianceWhenMaturityIsUnknown() {
    var gates =
        new GatesSpec(null, new RoiGate("9.36", "200", null, "500", "300", null), null, null);
    var spec =
        new dev.lumen.api.v1alpha1.LumenPolicySpec(
            Harness.defaultPolicy().service(),
            Mode.Enforce,
            List.of("web"),
            null,
            gates,
            null,
            null,
            null);
    var h = new Harness(spec);
    h.slos = Map.of("web", new PolicyObservations.SloSummary(SloState.Warning, Optional.of(75.0)));

    h.tick();

    // ROI 2036.75 % scores 100; (0.3 x 100 + 0.4 x 75) / 0.7 = 85.7.
    assertThat(h.status.getRoi()).isEqualTo("2036.75");
    assertThat(h.status.getHealth().score()).isEqualTo("85.7");
    assertThat(h.status.getHealth().grade()).isEqualTo(Grade.Good);
    assertThat(h.status.getGates())
        .extracting(g -> g.name() + "=" + g.result())
        .containsExactly("roi=Pass");
  }

  @Test
  void recentDecisionsAreBoundedAndNewestFirst() {
    var h = new Harness(Harness.defaultPolicy());
    h.tick();
    for (int i = 2; i < 20; i++) {
      h.deploy("web-" + String.format("%03d", i));
      h.tick(Command.ABORT);
      h.now = h.now.plus(Duration.ofMinutes(1));
    }

    assertThat(h.status.getRecentDecisions()).hasSize(PolicyEngine.RECENT_DECISIONS);
    assertThat(h.status.getRecentDecisions().get(0).time())
        .isEqualTo(h.now.minus(Duration.ofMinutes(1)).toString());
  }
}
