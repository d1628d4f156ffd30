package dev.lumen.validation;

import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.HttpAuthorization;
import dev.lumen.api.v1alpha1.NotificationsSpec;
import dev.lumen.api.v1alpha1.SecretKeyReference;
import dev.lumen.engine.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

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
      if (e.getCause() instanceof ArithmeticException) {
        invalid(field, text + " is too long to count; durations here are minutes or hours");
        return Optional.empty();
      }
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

  /** As {@link #durationWithin} with the limits given as durations of the API. */
  Optional<Duration> durationWithin(String field, String text, String min, String max) {
    return durationWithin(field, text, Durations.parse(min), Durations.parse(max));
  }

  /** The duration, with a violation when it does not parse or is longer than {@code max}. */
  Optional<Duration> durationAtMost(String field, String text, String max) {
    return durationWithin(field, text, Duration.ZERO, Durations.parse(max));
  }

  /**
   * Checks that the Secret and its key exist and, when they do, that {@code problem} finds nothing
   * wrong with the value; {@code form} says how a good value looks.
   */
  void secretValue(
      String field,
      SecretKeyReference ref,
      Function<String, Optional<String>> problem,
      String form) {
    if (!secretKey(field, ref)) {
      return;
    }
    references
        .secretValue(namespace, ref)
        .flatMap(problem)
        .ifPresent(
            why ->
                violation(
                    field,
                    "the value of key \""
                        + ref.key()
                        + "\" in Secret \""
                        + ref.name()
                        + "\" "
                        + why
                        + "; write it as "
                        + form,
                    Conditions.REASON_INVALID_SECRET_VALUE));
  }

  /** Checks the Secrets that credentials for an HTTP API name. */
  /** Every webhook Secret of {@code spec.notifications} holds a URL; Alertmanager's credentials. */
  void notifications(NotificationsSpec notifications) {
    if (notifications == null) {
      return;
    }
    var slack = notifications.slack();
    if (slack != null) {
      webhook("spec.notifications.slack.webhookSecretRef", slack.webhookSecretRef());
      webhook("spec.notifications.slack.warningWebhookSecretRef", slack.warningWebhookSecretRef());
      webhook(
          "spec.notifications.slack.criticalWebhookSecretRef", slack.criticalWebhookSecretRef());
    }
    if (notifications.alertmanager() != null) {
      credentials("spec.notifications.alertmanager.auth", notifications.alertmanager().auth());
    }
  }

  private void webhook(String field, SecretKeyReference ref) {
    secretValue(
        field, ref, SecretValues::webhookUrlProblem, "https://hooks.slack.com/services/...");
  }

  void credentials(String field, HttpAuthorization auth) {
    if (auth == null) {
      return;
    }
    secretValue(
        field + ".bearerTokenSecretRef",
        auth.bearerTokenSecretRef(),
        SecretValues::credentialProblem,
        SecretValues.CREDENTIAL_FORM);
    if (auth.basicAuth() != null) {
      secretValue(
          field + ".basicAuth.passwordSecretRef",
          auth.basicAuth().passwordSecretRef(),
          SecretValues::credentialProblem,
          SecretValues.CREDENTIAL_FORM);
    }
  }

  /** Whether the Secret and its key exist, with a violation when they do not. */
  boolean secretKey(String field, SecretKeyReference ref) {
    if (ref == null || !references.seesSecrets()) {
      return false;
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
      return false;
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
      return false;
    }
    return true;
  }
}
