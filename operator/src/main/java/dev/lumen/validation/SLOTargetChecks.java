package dev.lumen.validation;

import com.google.monitoring.v3.Aggregation;
import dev.lumen.api.v1alpha1.CustomObjective;
import dev.lumen.api.v1alpha1.CustomObjective.QueryLanguage;
import dev.lumen.api.v1alpha1.DurationLimits;
import dev.lumen.api.v1alpha1.Objective;
import dev.lumen.api.v1alpha1.SLOTargetSpec;
import dev.lumen.engine.Durations;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Rules for SLOTargets that the schema cannot express. */
final class SLOTargetChecks extends SemanticChecks {
  static final Duration MIN_WINDOW = Duration.ofHours(1);
  static final Duration MAX_WINDOW = Duration.ofDays(90);

  SLOTargetChecks(String namespace, References references) {
    super(namespace, references);
  }

  List<Violation> check(SLOTargetSpec spec) {
    Duration window =
        durationWithin("spec.window", spec.window(), MIN_WINDOW, MAX_WINDOW).orElse(MAX_WINDOW);
    durationWithin(
        "spec.evaluationInterval",
        spec.evaluationInterval(),
        DurationLimits.MIN_INTERVAL,
        DurationLimits.MAX_INTERVAL);
    boolean cloudMonitoring = spec.source() == null || spec.source().cloudMonitoring() != null;
    if (spec.source() != null && spec.source().prometheus() != null) {
      credentials("spec.source.prometheus.auth", spec.source().prometheus().auth());
    }
    notifications(spec.notifications());
    Map<String, Integer> firstIndexByName = new HashMap<>();
    for (int i = 0; i < spec.objectives().size(); i++) {
      Objective objective = spec.objectives().get(i);
      String field = "spec.objectives[" + i + "]";
      Integer first = firstIndexByName.putIfAbsent(objective.name(), i);
      if (first != null) {
        invalid(
            field + ".name",
            "\""
                + objective.name()
                + "\" is already the name of spec.objectives["
                + first
                + "]; objective names must be unique, rename one of them");
      }
      if (objective.latency() != null) {
        durationAtMost(
                field + ".latency.threshold",
                objective.latency().threshold(),
                DurationLimits.MAX_LATENCY)
            .filter(Duration::isZero)
            .ifPresent(
                d ->
                    invalid(
                        field + ".latency.threshold",
                        "must be longer than 0s; a latency can never be below zero"));
      }
      if (objective.custom() != null) {
        durationAtMost(
                field + ".custom.for", objective.custom().forDuration(), DurationLimits.MAX_FOR)
            .filter(d -> d.compareTo(window) > 0)
            .ifPresent(
                d ->
                    invalid(
                        field + ".custom.for",
                        objective.custom().forDuration()
                            + " is longer than spec.window ("
                            + Durations.format(window)
                            + "); shorten it"));
        boolean filter =
            objective.custom().languageFor(spec.source()) == QueryLanguage.MonitoringFilter;
        if (!cloudMonitoring && filter) {
          invalid(
              field + ".custom.language",
              "a prometheus source evaluates PromQL only; remove language or set it to PromQL, or"
                  + " read the filter from Cloud Monitoring with spec.source.cloudMonitoring");
        }
        if (cloudMonitoring && filter && !objective.custom().query().contains("metric.type")) {
          invalid(
              field + ".custom.query",
              "a Monitoring filter must select a metric, e.g."
                  + " metric.type=\"custom.googleapis.com/phase_diff\"; for PromQL set"
                  + " custom.language: PromQL");
        }
        if (cloudMonitoring && filter) {
          checkAggregation(field + ".custom", objective.custom());
        }
      }
    }
    return violations();
  }

  /** Names Cloud Monitoring knows, so a typo is an error here, not a gap at every evaluation. */
  private void checkAggregation(String field, CustomObjective custom) {
    if (custom.aligner() != null && !known(Aggregation.Aligner.values(), custom.aligner())) {
      invalid(
          field + ".aligner",
          "unknown aligner \""
              + custom.aligner()
              + "\"; use a Cloud Monitoring Aggregation.Aligner such as ALIGN_MEAN, ALIGN_MAX,"
              + " ALIGN_SUM or ALIGN_RATE");
    }
    if (custom.reducer() != null && !known(Aggregation.Reducer.values(), custom.reducer())) {
      invalid(
          field + ".reducer",
          "unknown reducer \""
              + custom.reducer()
              + "\"; use a Cloud Monitoring Aggregation.Reducer such as REDUCE_SUM, REDUCE_MEAN,"
              + " REDUCE_MAX or REDUCE_NONE");
    }
    if (custom.alignmentPeriod() != null) {
      durationWithin(field + ".alignmentPeriod", custom.alignmentPeriod(), "60s", "24h");
    }
  }

  private static boolean known(Enum<?>[] values, String name) {
    for (Enum<?> value : values) {
      if (value.name().equals(name) && !name.endsWith("UNRECOGNIZED")) {
        return true;
      }
    }
    return false;
  }
}
