package dev.lumen.engine.slo;

import dev.lumen.api.v1alpha1.BurnRateStatus;
import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.LatencyBucketStatus;
import dev.lumen.api.v1alpha1.ObjectiveStatus;
import dev.lumen.api.v1alpha1.SLOTargetStatus;
import dev.lumen.engine.ConditionList;
import dev.lumen.engine.Decimals;
import dev.lumen.engine.Durations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes an evaluation into an SLOTarget's status: state, compliance, every objective with its burn
 * rates, and the ObjectivesMet and BudgetBurning conditions. Other conditions (Ready) are kept as
 * they are.
 */
public final class SloStatusBuilder {
  private SloStatusBuilder() {}

  public static SLOTargetStatus build(
      SLOTargetStatus previous, SloEvaluation evaluation, long generation, Instant now) {
    var status = new SLOTargetStatus();
    status.setObservedGeneration(generation);
    status.setState(evaluation.state());
    status.setCompliance(evaluation.compliance().map(c -> Decimals.format(c, 1)).orElse(null));
    status.setLastEvaluationTime(now.toString());
    List<ObjectiveStatus> objectives = new ArrayList<>();
    for (ObjectiveResult result : evaluation.objectives()) {
      objectives.add(
          new ObjectiveStatus(
              result.name(),
              result.current().map(v -> Decimals.format(v, 3)).orElse(null),
              result.target(),
              result.met().orElse(null),
              result.budgetRemaining().map(r -> Decimals.format(r * 100, 2)).orElse(null),
              result.burnRates().stream().map(SloStatusBuilder::burnRate).toList(),
              result
                  .thresholdBucket()
                  .map(
                      b ->
                          new LatencyBucketStatus(
                              Decimals.exact(b.lowerMillis()), Decimals.exact(b.upperMillis())))
                  .orElse(null)));
    }
    status.setObjectives(objectives);
    List<Condition> conditions = previous == null ? List.of() : previous.getConditions();
    var writer = new ConditionList.Writer(generation, now);
    conditions = objectivesMet(conditions, evaluation, writer);
    conditions = budgetBurning(conditions, evaluation, writer);
    conditions = sliAbsent(conditions, evaluation, writer);
    status.setConditions(conditions);
    return status;
  }

  private static BurnRateStatus burnRate(ObjectiveResult.BurnRate rate) {
    return new BurnRateStatus(
        Durations.format(rate.pair().longWindow()),
        Durations.format(rate.pair().shortWindow()),
        rate.longRate().map(r -> Decimals.format(r, 2)).orElse(null),
        rate.shortRate().map(r -> Decimals.format(r, 2)).orElse(null),
        Decimals.format(rate.threshold(), 3),
        rate.pair().severity().name(),
        rate.firing());
  }

  private static List<Condition> objectivesMet(
      List<Condition> conditions, SloEvaluation evaluation, ConditionList.Writer writer) {
    List<String> missed =
        evaluation.objectives().stream()
            .filter(o -> o.met().isPresent() && !o.met().get())
            .map(ObjectiveResult::name)
            .toList();
    List<String> noData = evaluation.withoutData().stream().map(ObjectiveResult::name).toList();
    String noDataNote = noData.isEmpty() ? "" : "; no data for " + String.join(", ", noData);
    if (evaluation.compliance().isEmpty()) {
      return writer.set(
          conditions,
          Conditions.OBJECTIVES_MET,
          Condition.Status.Unknown,
          "NoData",
          "no objective has data yet" + noDataNote);
    }
    if (missed.isEmpty()) {
      return writer.set(
          conditions,
          Conditions.OBJECTIVES_MET,
          Condition.Status.True,
          "AllObjectivesMet",
          "every objective with data is met" + noDataNote);
    }
    return writer.set(
        conditions,
        Conditions.OBJECTIVES_MET,
        Condition.Status.False,
        "ObjectivesMissed",
        "not met: "
            + String.join(", ", missed)
            + " (state "
            + evaluation.state()
            + ")"
            + noDataNote);
  }

  /**
   * Pyrra's "SLI absent": an objective with no data over its whole window is not met nor missed, it
   * is unseen, and says so rather than stay quiet.
   */
  private static List<Condition> sliAbsent(
      List<Condition> conditions, SloEvaluation evaluation, ConditionList.Writer writer) {
    List<String> absent = evaluation.withoutData().stream().map(ObjectiveResult::name).toList();
    if (absent.isEmpty()) {
      return writer.set(
          conditions,
          Conditions.SLI_ABSENT,
          Condition.Status.False,
          "SliPresent",
          "every objective has data");
    }
    return writer.set(
        conditions,
        Conditions.SLI_ABSENT,
        Condition.Status.True,
        "NoData",
        "no data over the window for "
            + String.join(", ", absent)
            + ": the service served no requests, or the metric, query or filter matches no series;"
            + " these objectives count as neither met nor missed");
  }

  private static List<Condition> budgetBurning(
      List<Condition> conditions, SloEvaluation evaluation, ConditionList.Writer writer) {
    List<String> firing = new ArrayList<>();
    boolean page = false;
    for (ObjectiveResult result : evaluation.objectives()) {
      for (ObjectiveResult.BurnRate rate : result.burnRates()) {
        if (rate.firing()) {
          page |= rate.pair().severity() == BurnRatePair.Severity.Page;
          firing.add(
              result.name()
                  + " burns "
                  + Decimals.format(rate.longRate().orElseThrow(), 1)
                  + "x over "
                  + Durations.format(rate.pair().longWindow())
                  + " and "
                  + Decimals.format(rate.shortRate().orElseThrow(), 1)
                  + "x over "
                  + Durations.format(rate.pair().shortWindow())
                  + " (limit "
                  + Decimals.format(rate.threshold(), 2)
                  + "x, "
                  + rate.pair().severity()
                  + ")");
        }
      }
    }
    if (firing.isEmpty()) {
      return writer.set(
          conditions,
          Conditions.BUDGET_BURNING,
          Condition.Status.False,
          "NotBurning",
          "no burn-rate pair fires");
    }
    return writer.set(
        conditions,
        Conditions.BUDGET_BURNING,
        Condition.Status.True,
        page ? "PageBurnRate" : "TicketBurnRate",
        String.join("; ", firing));
  }
}
