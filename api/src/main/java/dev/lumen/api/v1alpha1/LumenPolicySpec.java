package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** The desired behaviour of Lumen towards one service. */
@ValidationRule(
    value =
        "!has(self.tuning) || !has(self.tuning.cacheTtl) || has(self.tuning.cacheTtl.redis)"
            + " || has(self.cache)",
    message = "tuning.cacheTtl needs a Redis: set spec.cache.redis or spec.tuning.cacheTtl.redis",
    fieldPath = ".tuning.cacheTtl.redis")
@ValidationRule(
    value =
        "!has(self.sloTargets) || self.sloTargets.all(n, n.matches('"
            + ApiPatterns.DNS_LABEL
            + "') && size(n) <= 63)",
    message = "every entry must be the name of an SLOTarget (lower-case letters, digits, '-')",
    fieldPath = ".sloTargets")
public record LumenPolicySpec(
    @JsonPropertyDescription("The Cloud Run service this policy steers.") @Required
        ServiceReference service,
    @JsonPropertyDescription(
            "Enforce applies decisions (traffic, min-instances, cache TTL); DryRun decides and"
                + " reports them in status and events but changes nothing.")
        @Default("Enforce")
        Mode mode,
    @JsonPropertyDescription(
            "Names of SLOTargets in this namespace whose state feeds the SLO gate and the"
                + " rollback rules.")
        @Size(max = 16)
        List<String> sloTargets,
    @JsonPropertyDescription(
            "Progressive delivery of new revisions: steps, analysis and rollback. Without it"
                + " Lumen does not move traffic.")
        RolloutSpec rollout,
    @JsonPropertyDescription("Gates a rollout must pass: SLO, ROI, budget and maturity.")
        GatesSpec gates,
    @JsonPropertyDescription("Adaptive tuning of min-instances and the cache TTL.")
        TuningSpec tuning,
    @JsonPropertyDescription("Where decisions are announced besides Kubernetes events.")
        NotificationsSpec notifications,
    @JsonPropertyDescription(
            "The cache in front of the service, measured always (hit rate for cacheHitRate"
                + " objectives, the ROI gate and the maturity score), whether or not its TTL is"
                + " tuned.")
        CacheSpec cache) {

  /** Whether decisions are applied or only reported. */
  public enum Mode {
    Enforce,
    DryRun
  }
}
