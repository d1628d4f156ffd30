package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/** Which namespaces may manage which projects, regions and services. */
@ValidationRule(
    value = "has(self.namespaces) || has(self.namespaceSelector)",
    message = "name the namespaces, select them by label (namespaceSelector), or both")
public record ProjectBindingSpec(
    @JsonPropertyDescription("Namespaces bound by name.") @Size(max = 256)
        List<@Pattern(ApiPatterns.DNS_LABEL) @Size(max = 63) String> namespaces,
    @JsonPropertyDescription(
            "Namespaces bound by label, e.g. {matchLabels: {team: payments}}; with namespaces, a"
                + " namespace that either names or selects is bound.")
        LabelSelector namespaceSelector,
    @JsonPropertyDescription("Google Cloud project IDs the namespaces may manage.")
        @Required
        @Size(min = 1, max = 64)
        List<@Pattern(ApiPatterns.GCP_PROJECT) String> projects,
    @JsonPropertyDescription("Regions they may manage, e.g. europe-west1; empty: every region.")
        @Size(max = 64)
        List<@Pattern(ApiPatterns.GCP_REGION) String> regions,
    @JsonPropertyDescription(
            "Cloud Run services they may manage, as glob patterns (* matches any characters),"
                + " e.g. checkout-*; empty: every service.")
        @Size(max = 64)
        List<@Pattern("^[a-z*]([-a-z0-9*]*)$") @Size(max = 63) String> services,
    @JsonPropertyDescription(
            "Google service account Lumen acts as for these namespaces: every Google call for"
                + " their resources uses short-lived credentials impersonating it, so Google IAM"
                + " decides what they may read and change. The operator's own account needs"
                + " roles/iam.serviceAccountTokenCreator on it. Empty: the operator's own account."
                + " When several bindings allow a resource, the first of them by name decides.")
        @Pattern(ApiPatterns.GOOGLE_SERVICE_ACCOUNT)
        String googleServiceAccount) {}
