package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/**
 * An error-budget policy on the named SLOTargets' own figures: the SLO gate also fails (and, as a
 * Block gate, freezes releases) while a budget is spent or burning fast.
 */
public record FreezeWhen(
    @JsonPropertyDescription(
            "Fail while any objective's error budget remaining is below this percent of its"
                + " budget, e.g. \"0\" (spent) or \"10\".")
        @Pattern(ApiPatterns.SIGNED_DECIMAL)
        @Size(max = 32)
        String budgetRemainingBelow,
    @JsonPropertyDescription(
            "Fail while a burn-rate pair of this severity or worse fires: Page (the fast pairs"
                + " only) or Ticket (any).")
        BurnSeverity burnRate) {

  /** Burn-rate severities, as the SLOTarget reports them. */
  public enum BurnSeverity {
    Page,
    Ticket
  }
}
