package dev.lumen.monitoring;

import com.google.monitoring.v3.AlertPolicy;
import com.google.monitoring.v3.ComparisonType;
import com.google.monitoring.v3.ServiceLevelObjective;
import dev.lumen.api.v1alpha1.CloudMonitoringNotification;
import dev.lumen.api.v1alpha1.Objective;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.engine.Decimals;
import dev.lumen.engine.Durations;
import dev.lumen.engine.Severity;
import dev.lumen.engine.slo.BurnRatePair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The multi-window, multi-burn-rate alerts of {@code lumen rules} as Cloud Monitoring alert
 * policies: one per objective and window pair, two {@code select_slo_burn_rate} conditions (the
 * long and the short window) joined by AND, with the same factors. A policy has one combiner, so
 * the page pairs that one Prometheus alert joins with "or" are two policies here.
 */
final class BurnRatePolicies {
  /** The user label saying which kind of burn a policy watches: page or ticket. */
  static final String BURN = "lumen-burn";

  /** The user label naming the objective a policy watches. */
  static final String OBJECTIVE = "lumen-objective";

  private BurnRatePolicies() {}

  static List<AlertPolicy> render(SLOTarget target, List<ServiceLevelObjective> slos) {
    Duration window = Durations.parse(target.getSpec().window());
    var notifications = target.getSpec().notifications();
    CloudMonitoringNotification channels =
        notifications == null ? null : notifications.cloudMonitoring();
    List<AlertPolicy> policies = new ArrayList<>();
    for (Objective objective : target.getSpec().objectives()) {
      String sloName = SloDefinitions.sloName(target, objective);
      if (slos.stream().noneMatch(s -> s.getName().equals(sloName))) {
        continue;
      }
      for (BurnRatePair pair : BurnRatePair.forWindow(window)) {
        boolean critical =
            pair.severity() == BurnRatePair.Severity.Page
                && Severity.ofBreach(objective) == Severity.Critical;
        var policy =
            AlertPolicy.newBuilder()
                .setDisplayName(displayName(target, objective, pair))
                .setCombiner(AlertPolicy.ConditionCombinerType.AND)
                .addConditions(condition(sloName, pair.longWindow(), pair.threshold(window)))
                .addConditions(condition(sloName, pair.shortWindow(), pair.threshold(window)))
                .setSeverity(
                    critical ? AlertPolicy.Severity.CRITICAL : AlertPolicy.Severity.WARNING)
                .setDocumentation(documentation(target, objective, pair, window))
                .putAllUserLabels(labels(target, objective, pair));
        if (channels != null) {
          policy.addAllNotificationChannels(channels.forSeverity(critical));
        }
        policies.add(policy.build());
      }
    }
    return policies;
  }

  /** What tells a policy apart from the other policies of its SLOTarget. */
  static Map<String, String> labels(SLOTarget target, Objective objective, BurnRatePair pair) {
    var labels = new java.util.TreeMap<>(Ownership.labels(target));
    labels.put(OBJECTIVE, Ownership.labelValue(objective.name()));
    labels.put(
        BURN,
        pair.severity().name().toLowerCase(Locale.ROOT)
            + "-"
            + Durations.format(pair.longWindow()));
    return labels;
  }

  static String displayName(SLOTarget target, Objective objective, BurnRatePair pair) {
    return "Lumen "
        + Ownership.namespaceOf(target)
        + "/"
        + target.getMetadata().getName()
        + ": "
        + objective.name()
        + " burns its error budget ("
        + pair.severity().name().toLowerCase(Locale.ROOT)
        + ", "
        + Durations.format(pair.longWindow())
        + "/"
        + Durations.format(pair.shortWindow())
        + ")";
  }

  private static AlertPolicy.Condition condition(String sloName, Duration lookback, double factor) {
    return AlertPolicy.Condition.newBuilder()
        .setDisplayName(
            "burn rate over " + Durations.format(lookback) + " above " + factorText(factor))
        .setConditionThreshold(
            AlertPolicy.Condition.MetricThreshold.newBuilder()
                .setFilter(
                    "select_slo_burn_rate(\"" + sloName + "\", \"" + lookback.toSeconds() + "s\")")
                .setComparison(ComparisonType.COMPARISON_GT)
                .setThresholdValue(factor)
                .setDuration(com.google.protobuf.Duration.newBuilder().setSeconds(0))
                .setTrigger(AlertPolicy.Condition.Trigger.newBuilder().setCount(1)))
        .build();
  }

  static String factorText(double factor) {
    return Decimals.format(factor, 3);
  }

  private static AlertPolicy.Documentation documentation(
      SLOTarget target, Objective objective, BurnRatePair pair, Duration window) {
    StringBuilder text = new StringBuilder();
    text.append("Objective **")
        .append(objective.name())
        .append("** of Cloud Run service ")
        .append(target.getSpec().service().cloudRun().name())
        .append(" is spending its ")
        .append(Durations.format(window))
        .append(" error budget ")
        .append(
            pair.severity() == BurnRatePair.Severity.Page
                ? "fast enough to run out within days"
                : "faster than it can afford")
        .append(": more than ")
        .append(factorText(pair.threshold(window)))
        .append(" times the sustainable rate over both ")
        .append(Durations.format(pair.longWindow()))
        .append(" and ")
        .append(Durations.format(pair.shortWindow()))
        .append(".\n\n");
    if (objective.description() != null) {
      text.append(objective.description()).append("\n\n");
    }
    if (objective.runbookUrl() != null) {
      text.append("Runbook: ").append(objective.runbookUrl()).append("\n\n");
    }
    text.append("Kept by Lumen from SLOTarget ")
        .append(Ownership.namespaceOf(target))
        .append('/')
        .append(target.getMetadata().getName())
        .append("; edit the SLOTarget, not this policy.");
    return AlertPolicy.Documentation.newBuilder()
        .setContent(text.toString())
        .setMimeType("text/markdown")
        .build();
  }
}
