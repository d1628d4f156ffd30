package dev.lumen.reconciler;

import dev.lumen.api.v1alpha1.Condition;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds status conditions the Kubernetes way: {@code lastTransitionTime} moves only when the
 * status changes, and every condition carries the generation it was computed for.
 */
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
    List<Condition> updated = new ArrayList<>();
    Condition previous = null;
    for (Condition condition : existing == null ? List.<Condition>of() : existing) {
      if (condition.type().equals(type)) {
        previous = condition;
      } else {
        updated.add(condition);
      }
    }
    String transitionTime =
        previous != null && previous.status() == status && previous.lastTransitionTime() != null
            ? previous.lastTransitionTime()
            : Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    updated.add(new Condition(type, status, observedGeneration, transitionTime, reason, message));
    updated.sort((a, b) -> a.type().compareTo(b.type()));
    return updated;
  }
}
