package dev.lumen.validation;

import dev.lumen.api.v1alpha1.SecretKeyReference;
import java.util.Optional;
import java.util.Set;

/**
 * What the checks need to know about other objects in the resource's namespace. The operator
 * answers from the cluster; the offline {@code validate} command answers from the files it was
 * given and cannot see Secrets.
 */
public interface References {
  /** Whether an SLOTarget of this name exists in the namespace. */
  boolean sloTargetExists(String namespace, String name);

  /** Whether Secrets can be looked up here; when not, Secret references are not checked. */
  boolean seesSecrets();

  /** The data keys of a Secret, or empty when the Secret does not exist. */
  Optional<Set<String>> secretKeys(String namespace, String name);

  /** The value of one key of a Secret, or empty when the Secret or the key is missing. */
  default Optional<String> secretValue(String namespace, SecretKeyReference ref) {
    return Optional.empty();
  }

  /**
   * For a resource checked on its own (e.g. an SLOTarget rendered into alert rules): every named
   * SLOTarget counts as existing, and Secrets are not seen.
   */
  static References standalone() {
    return new References() {
      @Override
      public boolean sloTargetExists(String namespace, String name) {
        return true;
      }

      @Override
      public boolean seesSecrets() {
        return false;
      }

      @Override
      public Optional<Set<String>> secretKeys(String namespace, String name) {
        return Optional.empty();
      }
    };
  }
}
