package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * A monthly spend budget, estimated from billable instance time and request counts at the prices of
 * the service's billing mode, plus the cache's own monthly cost.
 */
@ValidationRule(
    value = "self.thresholds.all(t, t.matches('^[0-9]+(\\\\.[0-9]+)?$'))",
    message = "every threshold is a percent of the budget as a decimal string, e.g. \"80\"",
    fieldPath = ".thresholds")
public record BudgetGate(
    @JsonPropertyDescription("The monthly budget, e.g. \"200\".")
        @Required
        @Pattern(ApiPatterns.DECIMAL)
        @Size(max = 32)
        String monthly,
    @JsonPropertyDescription("ISO 4217 currency of the budget, e.g. USD.")
        @Default("USD")
        @Pattern(ApiPatterns.CURRENCY)
        String currency,
    @JsonPropertyDescription(
            "Percent-of-budget marks that notify once each per month, in increasing order;"
                + " the gate fails at 100 % of the budget.")
        @Default("[\"80\",\"90\",\"100\"]")
        @Size(max = 10)
        List<String> thresholds,
    @JsonPropertyDescription(
            "While spend exceeds the budget: Rollback, Block or Notify. Unset: Rollback, or Notify"
                + " when spec.rollout.rollback.triggers.onBudgetExceeded is false.")
        GateAction action,
    @JsonPropertyDescription(
            "How Cloud Run bills the service, as set on it: RequestBased (CPU only allocated"
                + " during requests: vCPU-s, GiB-s and a fee per request) or InstanceBased (CPU"
                + " always allocated: the whole instance time at lower rates, no request fee)."
                + " Each has Cloud Run's tier-1 list prices in USD (docs/decisions.md, Gates).")
        @Default("RequestBased")
        Billing billing,
    @JsonPropertyDescription("Prices that replace the billing mode's list prices.")
        PricesSpec prices) {

  /** Cloud Run's two billing modes. */
  public enum Billing {
    RequestBased,
    InstanceBased
  }
}
