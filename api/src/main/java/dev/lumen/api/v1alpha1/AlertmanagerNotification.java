package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** An Alertmanager that receives Lumen's alerts. */
public record AlertmanagerNotification(
    @JsonPropertyDescription("Base URL of the Alertmanager, e.g. http://alertmanager:9093.")
        @Required
        @Size(max = 2048)
        @Pattern(ApiPatterns.HTTP_URL)
        String url,
    @JsonPropertyDescription(
            "Credentials sent with every alert, from Secrets; the URL itself may not carry any.")
        HttpAuthorization auth) {}
