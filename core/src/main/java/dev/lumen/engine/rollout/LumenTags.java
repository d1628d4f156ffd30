package dev.lumen.engine.rollout;

import dev.lumen.api.v1alpha1.RevisionTagsSpec;
import java.util.Set;

/**
 * The revision tags Lumen owns while a rollout runs ({@code spec.rollout.revisionTags}), with their
 * defaults: decided with the traffic change and merged with the team's own when it is made.
 */
public record LumenTags(boolean enabled, String canary, String stable) {
  public static LumenTags of(RevisionTagsSpec spec) {
    if (spec == null) {
      return new LumenTags(true, "canary", "stable");
    }
    return new LumenTags(
        !Boolean.FALSE.equals(spec.enabled()),
        spec.canary() == null ? "canary" : spec.canary(),
        spec.stable() == null ? "stable" : spec.stable());
  }

  /** The names that are Lumen's, whichever revision carries them. */
  public Set<String> names() {
    return Set.of(canary, stable);
  }
}
