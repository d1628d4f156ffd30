package dev.lumen.reconciler;

import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.validation.Validation;
import dev.lumen.validation.Violation;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** Turns a validation into the values of the Ready condition. */
public record Readiness(Condition.Status status, String reason, String message) {
  private static final int MAX_MESSAGE = 4000;
  private static final List<String> REASONS_BY_PRIORITY =
      List.of(
          Conditions.REASON_INVALID_SPEC,
          Conditions.REASON_SLO_TARGET_NOT_FOUND,
          Conditions.REASON_SECRET_NOT_FOUND);

  public static Readiness of(Validation validation, Supplier<String> acceptedMessage) {
    if (validation.valid()) {
      return new Readiness(
          Condition.Status.True, Conditions.REASON_ACCEPTED, acceptedMessage.get());
    }
    List<Violation> violations = validation.violations();
    String reason =
        REASONS_BY_PRIORITY.stream()
            .filter(r -> violations.stream().anyMatch(v -> v.reason().equals(r)))
            .findFirst()
            .orElse(violations.get(0).reason());
    String message = violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
    if (message.length() > MAX_MESSAGE) {
      message = message.substring(0, MAX_MESSAGE - 3) + "...";
    }
    return new Readiness(Condition.Status.False, reason, message);
  }

  /** The same readiness, its message noting what could not be measured this cycle. */
  public Readiness withGaps(List<String> gaps) {
    return gaps.isEmpty()
        ? this
        : new Readiness(
            status, reason, message + "; not measured this cycle: " + String.join("; ", gaps));
  }

  public boolean waitsForSecret() {
    return reason.equals(Conditions.REASON_SECRET_NOT_FOUND);
  }
}
