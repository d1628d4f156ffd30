package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A status condition as Kubernetes API conventions define it (metav1.Condition), documented so that
 * {@code kubectl explain} explains it.
 */
public record Condition(
    @JsonPropertyDescription("Type of the condition, e.g. Ready, in CamelCase.")
        @Required
        @Size(max = 316)
        String type,
    @JsonPropertyDescription("True, False or Unknown.") @Required Status status,
    @JsonPropertyDescription(
            "The metadata.generation the condition was set for; older than the resource's"
                + " generation means the condition may be stale.")
        Long observedGeneration,
    @JsonPropertyDescription(
            "When the status last changed (RFC 3339); kept while the status stays the same.")
        String lastTransitionTime,
    @JsonPropertyDescription("Machine-readable CamelCase reason for the last transition.")
        @Size(max = 1024)
        @Pattern("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$")
        String reason,
    @JsonPropertyDescription("Human-readable details: what is wrong and how to fix it.")
        @Size(max = Condition.MAX_MESSAGE)
        String message) {

  /** The longest message the API server accepts, in characters (metav1.Condition). */
  public static final int MAX_MESSAGE = 32768;

  private static final String CUT = " … (cut to fit a condition message)";

  /**
   * Cuts a message the API server would refuse, so that a long error (a 100,000-character name it
   * quotes, an exception's text) cannot make every status write of the resource fail.
   */
  public Condition {
    if (message != null && message.codePointCount(0, message.length()) > MAX_MESSAGE) {
      int keep = message.offsetByCodePoints(0, MAX_MESSAGE - CUT.length());
      message = message.substring(0, keep) + CUT;
    }
  }

  /** Condition status values. */
  public enum Status {
    True,
    False,
    Unknown
  }
}
