package dev.lumen.engine.slo;

import dev.lumen.api.v1alpha1.SLOTargetStatus.SloState;
import java.util.List;
import java.util.Optional;

/**
 * The state of one SLOTarget.
 *
 * @param compliance share of the objectives with data that are met, in percent; empty when no
 *     objective had data
 */
public record SloEvaluation(
    SloState state, Optional<Double> compliance, List<ObjectiveResult> objectives) {

  /** Objectives without data. */
  public List<ObjectiveResult> withoutData() {
    return objectives.stream().filter(o -> !o.hasData()).toList();
  }
}
