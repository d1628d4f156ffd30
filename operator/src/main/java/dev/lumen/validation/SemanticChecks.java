package dev.lumen.validation;

import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.SecretKeyReference;
import dev.lumen.engine.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Collects the violations of one resource's semantic checks; shared by both kinds' checks. */
class SemanticChecks {
  protected final String namespace;
  protected final References references;
  private final List<Violation> violations = new ArrayList<>();

  SemanticChecks(String namespace, References references) {
    this.namespace = namespace;
    this.references = references;
  }

  List<Violation> violations() {
    return violations;
  }

  void invalid(String field, String message) {
    violations.add(new Violation(field, message, Conditions.REASON_INVALID_SPEC));
  }

  void violation(String field, String message, String reason) {
    violations.add(new Violation(field, message, reason));
  }

  /** The duration, or empty (with a violation) when it does not parse. */
  Optional<Duration> duration(String field, String text) {
    try {
      return Optional.of(Durations.parse(text));
    } catch (IllegalArgumentException e) {
      invalid(field, "invalid duration \"" + text + "\"; write it like 200ms, 30s, 10m or 1h30m");
      return Optional.empty();
    }
  }

  /** The duration, with a violation when it does not parse or lies outside [min, max]. */
  Optional<Duration> durationWithin(String field, String text, Duration min, Duration max) {
    Optional<Duration> parsed = duration(field, text);
    parsed.ifPresent(
        d -> {
          if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            invalid(
                field,
                text
                    + " is out of range; use a value between "
                    + Durations.format(min)
                    + " and "
                    + Durations.format(max));
          }
        });
    return parsed;
  }

  void secretKey(String field, SecretKeyReference ref) {
    if (ref == null || !references.seesSecrets()) {
      return;
    }
    Optional<Set<String>> keys = references.secretKeys(namespace, ref.name());
    if (keys.isEmpty()) {
      violation(
          field,
          "Secret \""
              + ref.name()
              + "\" does not exist in namespace \""
              + namespace
              + "\"; create it with the key \""
              + ref.key()
              + "\" or point "
              + field
              + ".name at an existing Secret",
          Conditions.REASON_SECRET_NOT_FOUND);
    } else if (!keys.get().contains(ref.key())) {
      violation(
          field + ".key",
          "Secret \""
              + ref.name()
              + "\" has no key \""
              + ref.key()
              + "\" (it has: "
              + String.join(", ", new TreeSet<>(keys.get()))
              + "); add the key or fix "
              + field
              + ".key",
          Conditions.REASON_SECRET_NOT_FOUND);
    }
  }
}
