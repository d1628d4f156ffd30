package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** Fails while any SLOTarget of spec.sloTargets is in the given state or worse. */
public record SloGate(
    @JsonPropertyDescription(
            "Fail while an SLOTarget is Critical (default), or already when it is Warning.")
        @Default("Critical")
        FailOn failOn,
    @JsonPropertyDescription(
            "While it fails: Block (default: no new canary starts and one in progress holds, the"
                + " error-budget policy of the SRE workbook), Rollback (a canary in progress is"
                + " rolled back) or Notify (conditions and notifications only).")
        @Default("Block")
        GateAction action,
    @JsonPropertyDescription(
            "Also fail on the SLOTargets' error budgets, e.g. {budgetRemainingBelow: \"0\","
                + " burnRate: Page}: a service that spent its budget or pages gets no new canary"
                + " until it recovers.")
        FreezeWhen freezeWhen) {

  /** The SLOTarget state at which the gate fails. */
  public enum FailOn {
    Critical,
    Warning
  }
}
