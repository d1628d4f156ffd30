package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.Optional;

/**
 * What both of Lumen's kinds share: the spec as it was stored, besides the Java model of it, which
 * may not hold everything the stored spec says (a number where a word belongs is read as the word;
 * a word where a number belongs cannot be read at all).
 */
public abstract class LumenResource<S, T> extends CustomResource<S, T> {
  @JsonIgnore private JsonNode storedSpec;
  @JsonIgnore private String unreadableProblem;

  /** The Cloud Run service the spec names, when it can be read and names one. */
  public abstract Optional<CloudRunServiceReference> cloudRunService();

  /** The spec as read from the API server, for the validator to judge exactly that. */
  public Optional<JsonNode> storedSpec() {
    return Optional.ofNullable(storedSpec);
  }

  /**
   * Why the stored spec could not be read into the Java model ({@link #getSpec()} is then null), as
   * the JSON reader put it.
   */
  public Optional<String> unreadableProblem() {
    return Optional.ofNullable(unreadableProblem);
  }

  /**
   * Gives a copy what this resource read from the API server; a copy made by serializing has only
   * the model's spec, which is null when the stored one could not be read.
   */
  public void copyStoredSpecTo(LumenResource<?, ?> copy) {
    copy.keepStoredSpec(storedSpec, unreadableProblem);
  }

  void keepStoredSpec(JsonNode spec, String problem) {
    this.storedSpec = spec;
    this.unreadableProblem = problem;
  }
}
