package dev.lumen.engine;

import java.util.Locale;

/**
 * How urgent a notification or an alert is: one vocabulary for Slack channels, Alertmanager and
 * Prometheus {@code severity} labels, and events (docs/notifications.md#severities).
 */
public enum Severity {
  /** Someone must act now: a rollback, a failed rollback, a Critical objective breached. */
  Critical,
  /** Someone should look soon: a blocked or paused rollout, a Warning objective breached. */
  Warning,
  /** News: traffic shifted, promoted, recovered. */
  Info;

  /** The label value, e.g. {@code critical}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether a Kubernetes event of this severity is of type Warning. */
  public boolean warns() {
    return this != Info;
  }

  /**
   * How urgent a breach of {@code objective} is, or its page burn rate: its own severity (Critical,
   * or else Warning). One rule for Slack, Alertmanager and Prometheus rules alike.
   */
  public static Severity ofBreach(dev.lumen.api.v1alpha1.Objective objective) {
    return objective.severity() == dev.lumen.api.v1alpha1.Objective.Severity.Critical
        ? Critical
        : Warning;
  }

  /** The more urgent of the two. */
  public Severity max(Severity other) {
    return compareTo(other) <= 0 ? this : other;
  }

  /** The severity a label names, ignoring case; empty for anything else. */
  public static java.util.Optional<Severity> ofLabel(String label) {
    for (Severity s : values()) {
      if (s.label().equalsIgnoreCase(label == null ? "" : label.trim())) {
        return java.util.Optional.of(s);
      }
    }
    return java.util.Optional.empty();
  }
}
