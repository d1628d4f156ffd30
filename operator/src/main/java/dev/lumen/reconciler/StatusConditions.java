package dev.lumen.reconciler;

import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.engine.ConditionList;
import java.time.Clock;
import java.util.List;

/** Sets status conditions at the time of an injected clock. */
public final class StatusConditions {
  private final Clock clock;

  public StatusConditions(Clock clock) {
    this.clock = clock;
  }

  /** Returns {@code existing} with the condition of {@code type} set to the new values. */
  public List<Condition> set(
      List<Condition> existing,
      String type,
      Condition.Status status,
      String reason,
      String message,
      long observedGeneration) {
    return ConditionList.set(
        existing, type, status, reason, message, observedGeneration, clock.instant());
  }
}
