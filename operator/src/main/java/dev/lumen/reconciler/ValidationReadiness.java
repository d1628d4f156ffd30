package dev.lumen.reconciler;

import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.cycle.Readiness;
import dev.lumen.tenancy.Tenancy;
import dev.lumen.validation.Validation;
import dev.lumen.validation.Violation;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** Turns a validation into the values of the Ready condition. */
public final class ValidationReadiness {
  private static final int MAX_MESSAGE = 4000;
  private static final List<String> REASONS_BY_PRIORITY =
      List.of(
          Conditions.REASON_INVALID_SPEC,
          Conditions.REASON_SLO_TARGET_NOT_FOUND,
          Conditions.REASON_SECRET_NOT_FOUND);

  private ValidationReadiness() {}

  public static Readiness of(Validation validation, Supplier<String> acceptedMessage) {
    if (validation.valid()) {
      return Readiness.accepted(acceptedMessage.get());
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

  /**
   * An accepted resource whose namespace may not manage its service is not Ready, with reason
   * {@code ProjectNotBound}: the cycle then makes no Google call for it. Checked at every
   * reconcile, so a deleted binding stops Lumen at the next one.
   */
  public static Readiness bound(Readiness readiness, Tenancy.Access access) {
    if (!readiness.accepted()) {
      return readiness;
    }
    return access
        .refusal()
        .map(why -> new Readiness(Condition.Status.False, Conditions.REASON_PROJECT_NOT_BOUND, why))
        .orElse(readiness);
  }
}
