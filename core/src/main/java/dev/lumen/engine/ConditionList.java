package dev.lumen.engine;

import dev.lumen.api.v1alpha1.Condition;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Sets conditions the Kubernetes way: {@code lastTransitionTime} moves only when the status
 * changes, every condition carries the generation it was computed for, and the list is sorted by
 * type so that an unchanged status serializes identically.
 */
public final class ConditionList {
  private ConditionList() {}

  /** Sets conditions for one generation at one time. */
  public record Writer(long generation, Instant now) {
    public List<Condition> set(
        List<Condition> conditions,
        String type,
        Condition.Status status,
        String reason,
        String message) {
      return ConditionList.set(conditions, type, status, reason, message, generation, now);
    }
  }

  /** The condition of {@code type}, if the list (which may be null) has one. */
  public static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions == null
        ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.type())).findFirst();
  }

  /** The list without the condition of {@code type}; the same list when there is none. */
  public static List<Condition> remove(List<Condition> existing, String type) {
    if (existing == null || existing.stream().noneMatch(c -> c.type().equals(type))) {
      return existing;
    }
    return existing.stream().filter(c -> !c.type().equals(type)).toList();
  }

  public static List<Condition> set(
      List<Condition> existing,
      String type,
      Condition.Status status,
      String reason,
      String message,
      long observedGeneration,
      Instant now) {
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
            : now.truncatedTo(ChronoUnit.SECONDS).toString();
    updated.add(new Condition(type, status, observedGeneration, transitionTime, reason, message));
    updated.sort(Comparator.comparing(Condition::type));
    return updated;
  }
}
