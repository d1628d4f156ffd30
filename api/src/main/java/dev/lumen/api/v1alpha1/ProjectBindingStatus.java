package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * What a binding means now, as the operator sees it.
 *
 * @param observedGeneration the metadata.generation this status describes
 * @param namespaces the existing namespaces the binding names or selects
 * @param conditions Ready: whether it binds any namespace now
 */
public record ProjectBindingStatus(
    @JsonPropertyDescription("The metadata.generation of the spec this status describes.")
        Long observedGeneration,
    @JsonPropertyDescription(
            "The namespaces that exist now and that the binding names or selects by label.")
        List<String> namespaces,
    @JsonPropertyDescription(
            "Standard conditions: Ready (True when it binds at least one existing namespace).")
        List<Condition> conditions) {}
