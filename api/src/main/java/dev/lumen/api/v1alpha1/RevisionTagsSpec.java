package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Cloud Run tags on the revisions of a rollout, so that a person can call the canary (and the
 * stable revision) by its own URL, {@code https://TAG---SERVICE-HASH.a.run.app}.
 */
@ValidationRule(
    value = "!has(self.canary) || !has(self.stable) || self.canary != self.stable",
    message = "canary and stable must be different tags",
    fieldPath = ".stable")
public record RevisionTagsSpec(
    @JsonPropertyDescription(
            "Tag the canary and the stable revision while a rollout runs; the tags are removed"
                + " when it ends (promoted or rolled back). Tags the team set on other revisions,"
                + " or with other names, are left alone.")
        @Default("true")
        Boolean enabled,
    @JsonPropertyDescription(
            "The canary's tag: lower-case letters, digits and '-', starting with a letter.")
        @Default("canary")
        @Size(max = 46)
        @Pattern(ApiPatterns.REVISION_TAG)
        String canary,
    @JsonPropertyDescription("The stable revision's tag, likewise.")
        @Default("stable")
        @Size(max = 46)
        @Pattern(ApiPatterns.REVISION_TAG)
        String stable) {}
