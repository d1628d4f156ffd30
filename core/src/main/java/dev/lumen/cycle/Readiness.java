package dev.lumen.cycle;

import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.Conditions;
import java.util.List;

/** The values of a resource's Ready condition, before the cycle adds what it could not measure. */
public record Readiness(Condition.Status status, String reason, String message) {
  public static Readiness accepted(String message) {
    return new Readiness(Condition.Status.True, Conditions.REASON_ACCEPTED, message);
  }

  public boolean accepted() {
    return status == Condition.Status.True;
  }

  /** The same readiness, its message noting what could not be measured this cycle. */
  public Readiness withGaps(List<String> gaps) {
    return gaps.isEmpty()
        ? this
        : new Readiness(
            status, reason, message + "; not measured this cycle: " + String.join("; ", gaps));
  }

  /**
   * Whether the resource waits for another object (a Secret, a LumenProjectBinding, the policy that
   * owns its service to go) whose changes do not trigger it, so it must be looked at again without
   * a change of its own.
   */
  public boolean waitsForAnotherObject() {
    return reason.equals(Conditions.REASON_SECRET_NOT_FOUND)
        || reason.equals(Conditions.REASON_PROJECT_NOT_BOUND)
        || reason.equals(Conditions.REASON_SERVICE_ALREADY_MANAGED);
  }
}
