package dev.lumen.validation;

import dev.lumen.api.v1alpha1.AnalysisSpec;
import dev.lumen.api.v1alpha1.BudgetGate;
import dev.lumen.api.v1alpha1.CacheTtlTuning;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.DurationLimits;
import dev.lumen.api.v1alpha1.LumenPolicySpec;
import dev.lumen.api.v1alpha1.RolloutSpec;
import dev.lumen.api.v1alpha1.RolloutStep;
import dev.lumen.api.v1alpha1.TuningSpec;
import dev.lumen.engine.Decimals;
import dev.lumen.engine.canary.ComparisonBasis;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Rules for LumenPolicies that the schema cannot express, and their references. */
final class LumenPolicyChecks extends SemanticChecks {

  LumenPolicyChecks(String namespace, References references) {
    super(namespace, references);
  }

  List<Violation> check(LumenPolicySpec spec) {
    checkSloTargets(spec.sloTargets());
    if (spec.rollout() != null) {
      checkRollout(spec.rollout());
    }
    if (spec.gates() != null && spec.gates().budget() != null) {
      checkBudget(spec.gates().budget());
    }
    if (spec.gates() != null && spec.gates().slo() != null && isEmpty(spec.sloTargets())) {
      invalid(
          "spec.gates.slo",
          "the SLO gate judges the SLOTargets in spec.sloTargets, which is empty; list at least"
              + " one SLOTarget or remove the gate");
    }
    if (spec.tuning() != null) {
      checkTuning(spec.tuning());
    }
    if (spec.cache() != null && spec.cache().redis() != null) {
      secretValue(
          "spec.cache.redis.urlSecretRef",
          spec.cache().redis().urlSecretRef(),
          SecretValues::redisUrlProblem,
          SecretValues.REDIS_FORM);
    }
    if (spec.tuning() != null
        && spec.tuning().cacheTtl() != null
        && spec.tuning().cacheTtl().redis() == null
        && spec.cache() == null) {
      invalid(
          "spec.tuning.cacheTtl.redis",
          "the TTL loop needs a Redis: set spec.cache.redis (the cache, measured always) or"
              + " spec.tuning.cacheTtl.redis");
    }
    notifications(spec.notifications());
    if (spec.notifications() != null && spec.notifications().cloudMonitoring() != null) {
      invalid(
          "spec.notifications.cloudMonitoring",
          "only SLOTargets have Cloud Monitoring alert policies; name the channels on the"
              + " SLOTarget of this service");
    }
    return violations();
  }

  private void checkSloTargets(List<String> names) {
    if (names == null) {
      return;
    }
    Map<String, Integer> firstIndex = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      String field = "spec.sloTargets[" + i + "]";
      Integer first = firstIndex.putIfAbsent(name, i);
      if (first != null) {
        invalid(
            field,
            "\""
                + name
                + "\" is already listed at spec.sloTargets["
                + first
                + "]; remove the duplicate");
      } else if (!references.sloTargetExists(namespace, name)) {
        violation(
            field,
            "SLOTarget \""
                + name
                + "\" does not exist in namespace \""
                + namespace
                + "\"; create it or remove it from spec.sloTargets",
            Conditions.REASON_SLO_TARGET_NOT_FOUND);
      }
    }
  }

  private void checkRollout(RolloutSpec rollout) {
    AnalysisSpec analysis = rollout.analysis();
    Duration interval =
        durationWithin(
                "spec.rollout.analysis.interval",
                analysis.interval(),
                DurationLimits.MIN_INTERVAL,
                DurationLimits.MAX_INTERVAL)
            .orElse(Duration.ZERO);
    durationAtMost(
        "spec.rollout.analysis.maxLatencyP95",
        analysis.maxLatencyP95(),
        DurationLimits.MAX_LATENCY);
    durationAtMost(
        "spec.rollout.progressDeadline",
        rollout.progressDeadline(),
        DurationLimits.MAX_PROGRESS_DEADLINE);
    durationAtMost(
        "spec.rollout.rollback.gracePeriod",
        rollout.rollback().gracePeriod(),
        DurationLimits.MAX_GRACE_PERIOD);
    checkMustCatch(analysis);
    if (rollout.postPromotion() != null) {
      durationWithin(
          "spec.rollout.postPromotion.window",
          rollout.postPromotion().window(),
          DurationLimits.MIN_WATCH,
          DurationLimits.MAX_WATCH);
    }
    int previousWeight = 0;
    int previousIndex = -1;
    for (int i = 0; i < rollout.steps().size(); i++) {
      RolloutStep step = rollout.steps().get(i);
      String field = "spec.rollout.steps[" + i + "]";
      if (step.weight() == null) {
        continue;
      }
      if (step.weight() <= previousWeight) {
        invalid(
            field + ".weight",
            step.weight()
                + " does not increase on steps["
                + previousIndex
                + "].weight ("
                + previousWeight
                + "); weights must rise step by step towards 100");
      }
      if (step.pause() != null) {
        durationAtMost(field + ".pause", step.pause(), DurationLimits.MAX_PAUSE)
            .filter(pause -> pause.compareTo(interval) < 0)
            .ifPresent(
                pause ->
                    invalid(
                        field + ".pause",
                        step.pause()
                            + " is shorter than spec.rollout.analysis.interval ("
                            + analysis.interval()
                            + "), so the step would end before its first analysis; lengthen"
                            + " the pause or shorten the interval"));
      }
      previousWeight = step.weight();
      previousIndex = i;
    }
  }

  /**
   * What a promotion guarantees against must be worse than what is tolerated: otherwise a canary
   * could be neither rolled back nor promoted, by design.
   */
  private void checkMustCatch(AnalysisSpec analysis) {
    if (analysis.mustCatch() == null || analysis.tolerance() == null) {
      return;
    }
    double tolerated = 1 + Decimals.parse(analysis.tolerance()) / 100;
    checkRatio("errorRate", analysis.mustCatch().errorRate(), tolerated, analysis.tolerance());
    checkRatio("latency", analysis.mustCatch().latency(), tolerated, analysis.tolerance());
  }

  private void checkRatio(String name, String ratio, double tolerated, String tolerance) {
    if (ratio != null && ComparisonBasis.ratio(ratio, 0) <= tolerated) {
      invalid(
          "spec.rollout.analysis.mustCatch." + name,
          ratio
              + " is not above what the tolerance of "
              + tolerance
              + " % allows ("
              + Decimals.format(tolerated, 3)
              + "x), so a canary between the two would be neither rolled back nor promoted;"
              + " raise it or lower spec.rollout.analysis.tolerance");
    }
  }

  private void checkTuning(TuningSpec tuning) {
    if (tuning.minInstances() != null) {
      durationAtMost(
          "spec.tuning.minInstances.cooldown",
          tuning.minInstances().cooldown(),
          DurationLimits.MAX_COOLDOWN);
    }
    CacheTtlTuning cache = tuning.cacheTtl();
    if (cache != null) {
      durationAtMost(
          "spec.tuning.cacheTtl.cooldown", cache.cooldown(), DurationLimits.MAX_COOLDOWN);
      durationWithin("spec.tuning.cacheTtl.min", cache.min(), "60s", "1h");
      durationWithin("spec.tuning.cacheTtl.max", cache.max(), "60s", "1h");
      if (cache.redis() != null) {
        secretValue(
            "spec.tuning.cacheTtl.redis.urlSecretRef",
            cache.redis().urlSecretRef(),
            SecretValues::redisUrlProblem,
            SecretValues.REDIS_FORM);
      }
    }
  }

  private void checkBudget(BudgetGate budget) {
    BigDecimal previous = null;
    for (int i = 0; i < budget.thresholds().size(); i++) {
      String field = "spec.gates.budget.thresholds[" + i + "]";
      BigDecimal threshold = new BigDecimal(budget.thresholds().get(i));
      if (previous != null && threshold.compareTo(previous) <= 0) {
        invalid(
            field,
            budget.thresholds().get(i)
                + " is not above the previous threshold ("
                + previous.toPlainString()
                + "); list thresholds in increasing order");
      }
      previous = threshold;
    }
    if (new BigDecimal(budget.monthly()).signum() == 0) {
      invalid("spec.gates.budget.monthly", "must be more than 0; a zero budget fails at once");
    }
  }

  private static boolean isEmpty(List<?> list) {
    return list == null || list.isEmpty();
  }
}
