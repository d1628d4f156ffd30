package dev.lumen.rules;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.api.v1alpha1.CustomObjective;
import dev.lumen.api.v1alpha1.CustomObjective.QueryLanguage;
import dev.lumen.api.v1alpha1.LatencyBucketStatus;
import dev.lumen.api.v1alpha1.Objective;
import dev.lumen.api.v1alpha1.ObjectiveStatus;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.engine.Decimals;
import dev.lumen.engine.Durations;
import dev.lumen.engine.Severity;
import dev.lumen.engine.slo.BurnRatePair;
import dev.lumen.prometheus.PrometheusMetricSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Multi-window, multi-burn-rate alerts for one SLOTarget, as the Google SRE workbook describes and
 * Sloth generates them, with the same window pairs and factors the operator's own burn rates use
 * ({@link BurnRatePair}): the alerts and {@code status.objectives[].burnRates} agree.
 *
 * <p>Each ratio objective gets one recording rule per window (the share of bad events) and two
 * alerts, {@code burn: page} and {@code burn: ticket}, whose {@code severity} is the objective's
 * for a page ({@code critical} or {@code warning}) and {@code warning} for a ticket. The metrics
 * are Cloud Run's under the names Managed Service for Prometheus gives them, whatever source the
 * SLOTarget itself reads.
 */
public final class SloAlertRules {
  public static final String BURN_ALERT = "LumenErrorBudgetBurn";
  public static final String CUSTOM_ALERT = "LumenCustomObjectiveOutOfBounds";
  public static final String ABSENT_ALERT = "LumenSliAbsent";

  /** Where the runbook of each alert is, in Lumen's docs (a path, so it never points elsewhere). */
  static final String RUNBOOK = "docs/operations.md#";

  private static final String REQUESTS = PrometheusMetricSource.REQUEST_COUNT;
  private static final String LATENCY = PrometheusMetricSource.REQUEST_LATENCIES;

  /** What was rendered, and the objectives that have no alert, with why. */
  public record Result(RuleGroup group, List<String> skipped) {}

  private SloAlertRules() {}

  /**
   * @param target an SLOTarget with the schema's defaults applied
   */
  public static Result of(SLOTarget target) {
    Duration window = Durations.parse(target.getSpec().window());
    List<BurnRatePair> pairs = BurnRatePair.forWindow(window);
    var labels = identity(target);
    List<Rule> rules = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (Objective objective : target.getSpec().objectives()) {
      var objectiveLabels = new TreeMap<>(labels);
      objectiveLabels.put("objective", objective.name());
      Optional<Sli> sli =
          sli(target.getSpec().service().cloudRun(), objective, thresholdBucket(target, objective));
      if (sli.isPresent()) {
        rules.addAll(burnRules(sli.get(), pairs, window, objectiveLabels, objective));
        rules.add(
            absentAlert(
                record(longest(pairs)) + matcher(objectiveLabels), objective, objectiveLabels));
      } else if (objective.custom() != null
          && objective.custom().languageFor(target.getSpec().source()) == QueryLanguage.PromQL) {
        rules.add(customAlert(objective, objectiveLabels));
        rules.add(absentAlert("(" + objective.custom().query() + ")", objective, objectiveLabels));
      } else {
        skipped.add(
            objective.name()
                + ": "
                + (objective.custom() != null
                    ? "a custom objective gets an alert only when its query is PromQL; a"
                        + " Monitoring filter is for a Cloud Monitoring alert policy"
                    : "cache hit rate has no request counts to burn a budget against; alert on"
                        + " lumen_slo_objective_met instead"));
      }
    }
    String name = "lumen-slo-" + namespaceOf(target) + "-" + target.getMetadata().getName();
    return new Result(new RuleGroup(name, rules), skipped);
  }

  /** The longest window the recording rules keep: absent there, the SLI has no data at all. */
  private static Duration longest(List<BurnRatePair> pairs) {
    return pairs.stream().map(BurnRatePair::longWindow).max(Duration::compareTo).orElseThrow();
  }

  /**
   * Pyrra's "SLI absent": a series that does not exist at all (a metric or a query that matches
   * nothing, a latency threshold that is not a bucket boundary of the histogram) makes no burn
   * alert fire, silently; this one fires instead.
   */
  private static Rule absentAlert(String series, Objective objective, Map<String, String> labels) {
    var alertLabels = new TreeMap<>(labels);
    alertLabels.put("severity", Severity.Warning.label());
    return Rule.alert(
        ABSENT_ALERT,
        "absent(" + series + ")",
        "15m",
        alertLabels,
        withRunbook(
            objective,
            annotations(
                subject(labels) + ": objective " + objective.name() + " has no data",
                "The SLI of objective "
                    + objective.name()
                    + " has no series: the metric or query matches nothing, or (latency) the"
                    + " threshold is not a bucket boundary of the histogram and the rules were"
                    + " made before Lumen named the bucket that holds it. No burn-rate alert can"
                    + " fire for it until it has.",
                "sli-absent")));
  }

  private static Map<String, String> identity(SLOTarget target) {
    var labels = new TreeMap<String, String>();
    labels.put("namespace", namespaceOf(target));
    labels.put("slotarget", target.getMetadata().getName());
    labels.put("service", target.getSpec().service().cloudRun().name());
    return labels;
  }

  private static String namespaceOf(SLOTarget target) {
    String namespace = target.getMetadata().getNamespace();
    return namespace == null ? "default" : namespace;
  }

  /**
   * An objective as "bad events over all events" in PromQL, with its budget: the share of events
   * that may be bad over the compliance window.
   */
  record Sli(String badRatioOver, double budget, String what) {
    String ratio(String range) {
      return badRatioOver.replace("$RANGE", range);
    }
  }

  /** The bucket holding a latency objective's threshold, as the last evaluation saw it. */
  private static Optional<LatencyBucketStatus> thresholdBucket(
      SLOTarget target, Objective objective) {
    if (target.getStatus() == null || target.getStatus().getObjectives() == null) {
      return Optional.empty();
    }
    return target.getStatus().getObjectives().stream()
        .filter(o -> objective.name().equals(o.name()) && o.thresholdBucket() != null)
        .map(ObjectiveStatus::thresholdBucket)
        .findFirst();
  }

  static Optional<Sli> sli(
      CloudRunServiceReference service,
      Objective objective,
      Optional<LatencyBucketStatus> thresholdBucket) {
    String selector =
        "project_id=\""
            + service.project()
            + "\",location=\""
            + service.region()
            + "\",service_name=\""
            + service.name()
            + "\"";
    String all = "sum(rate(" + REQUESTS + "{" + selector + "}[$RANGE]))";
    if (objective.availability() != null) {
      return Optional.of(
          new Sli(
              badOverAll(REQUESTS + "{" + selector + ",response_code_class=\"5xx\"}", all),
              1 - Decimals.parse(objective.availability().target()) / 100,
              "availability " + objective.availability().target() + " %"));
    }
    if (objective.errorRate() != null) {
      return Optional.of(
          new Sli(
              badOverAll(REQUESTS + "{" + selector + ",response_code_class=~\"4xx|5xx\"}", all),
              Decimals.parse(objective.errorRate().max()) / 100,
              "error rate at most " + objective.errorRate().max() + " %"));
    }
    if (objective.latency() != null) {
      double thresholdMs = Durations.parse(objective.latency().threshold()).toNanos() / 1e6;
      String fast =
          thresholdBucket
              .map(bucket -> interpolated(selector, thresholdMs, bucket))
              .orElseGet(() -> bucketRate(selector, Decimals.format(thresholdMs, 3)));
      String count = "sum(rate(" + LATENCY + "_count{" + selector + "}[$RANGE]))";
      return Optional.of(
          new Sli(
              "1 - (\n  " + fast + "\n  /\n  " + count + "\n)",
              1 - objective.latency().percentile() / 100.0,
              "p"
                  + objective.latency().percentile()
                  + " latency under "
                  + objective.latency().threshold()));
    }
    return Optional.empty();
  }

  private static String bucketRate(String selector, String le) {
    return "sum(rate(" + LATENCY + "_bucket{" + selector + ",le=\"" + le + "\"}[$RANGE]))";
  }

  /**
   * Requests at or below a threshold inside a bucket, as Lumen counts them: the bucket's lower
   * series plus the share of the bucket below the threshold, linearly. The first bucket's lower
   * bound is 0, which has no series.
   */
  private static String interpolated(
      String selector, double thresholdMs, LatencyBucketStatus bucket) {
    double lower = Decimals.parse(bucket.lowerBound());
    double upper = Decimals.parse(bucket.upperBound());
    String share = Decimals.format((thresholdMs - lower) / (upper - lower), 6);
    String upperRate = bucketRate(selector, bucket.upperBound());
    if (lower <= 0) {
      return "(" + upperRate + " * " + share + ")";
    }
    String lowerRate = bucketRate(selector, bucket.lowerBound());
    return "(" + lowerRate + " + (" + upperRate + " - " + lowerRate + ") * " + share + ")";
  }

  /** No bad series at all (no 5xx yet) is a ratio of 0, not a missing one. */
  private static String badOverAll(String bad, String all) {
    return "(\n  sum(rate(" + bad + "[$RANGE]))\n  or vector(0)\n)\n/\n" + all;
  }

  static String record(Duration range) {
    return "lumen:slo_errors:ratio_rate" + Durations.format(range);
  }

  private static List<Rule> burnRules(
      Sli sli,
      List<BurnRatePair> pairs,
      Duration window,
      Map<String, String> labels,
      Objective objective) {
    Severity breach = Severity.ofBreach(objective);
    List<Rule> rules = new ArrayList<>();
    var ranges = new TreeSet<Duration>();
    pairs.forEach(
        p -> {
          ranges.add(p.shortWindow());
          ranges.add(p.longWindow());
        });
    for (Duration range : ranges) {
      rules.add(Rule.recording(record(range), sli.ratio(Durations.format(range)), labels));
    }
    String matcher = matcher(labels);
    for (BurnRatePair.Severity severity : BurnRatePair.Severity.values()) {
      List<String> conditions = new ArrayList<>();
      for (BurnRatePair pair : pairs) {
        if (pair.severity() != severity) {
          continue;
        }
        String limit = "(" + factor(pair.threshold(window)) + " * " + budget(sli.budget()) + ")";
        conditions.add(
            "(\n  "
                + record(pair.longWindow())
                + matcher
                + " > "
                + limit
                + "\nand\n  "
                + record(pair.shortWindow())
                + matcher
                + " > "
                + limit
                + "\n)");
      }
      if (conditions.isEmpty()) {
        continue;
      }
      var alertLabels = new TreeMap<>(labels);
      // One vocabulary (docs/notifications.md#severities): a page burn rate is as urgent as the
      // objective, a ticket one a warning; which of the two fired is the burn label.
      alertLabels.put(
          "severity", (severity == BurnRatePair.Severity.Page ? breach : Severity.Warning).label());
      alertLabels.put("burn", severity.name().toLowerCase(java.util.Locale.ROOT));
      rules.add(
          Rule.alert(
              BURN_ALERT,
              String.join("\nor\n", conditions),
              null,
              alertLabels,
              withRunbook(
                  objective,
                  annotations(
                      "{{ $labels.namespace }}/{{ $labels.slotarget }}: "
                          + sli.what()
                          + " is burning its error budget too fast",
                      "Objective {{ $labels.objective }} of Cloud Run service {{ $labels.service }}"
                          + " is spending its "
                          + Durations.format(window)
                          + " error budget "
                          + (severity == BurnRatePair.Severity.Page
                              ? "fast enough to run out within days"
                              : "faster than it can afford")
                          + ": {{ $value | humanizePercentage }} of requests are bad over the"
                          + " alert's long window.",
                      "error-budget-burn"))));
    }
    return rules;
  }

  /**
   * The query's own labels are all {@code $labels} holds in the annotations (the rule's labels come
   * later), so the names are written in.
   */
  private static Rule customAlert(Objective objective, Map<String, String> labels) {
    CustomObjective custom = objective.custom();
    Severity severity = Severity.ofBreach(objective);
    List<String> bounds = new ArrayList<>();
    if (custom.min() != null) {
      bounds.add("(" + custom.query() + ") < " + custom.min());
    }
    if (custom.max() != null) {
      bounds.add("(" + custom.query() + ") > " + custom.max());
    }
    var alertLabels = new TreeMap<>(labels);
    alertLabels.put("severity", severity.label());
    String forDuration = custom.forDuration() == null ? "0s" : custom.forDuration();
    String name = labels.get("objective");
    return Rule.alert(
        CUSTOM_ALERT,
        String.join("\nor\n", bounds),
        "0s".equals(forDuration) ? null : forDuration,
        alertLabels,
        withRunbook(
            objective,
            annotations(
                subject(labels) + ": " + name + " is out of bounds",
                "Custom objective "
                    + name
                    + " is {{ $value }}, outside"
                    + (custom.min() != null ? " min " + custom.min() : "")
                    + (custom.max() != null ? " max " + custom.max() : "")
                    + ".",
                "custom-objective")));
  }

  /** namespace/slotarget, as an alert's summary starts. */
  private static String subject(Map<String, String> labels) {
    return labels.get("namespace") + "/" + labels.get("slotarget");
  }

  /** The objective's own runbook as {@code runbook_url}, besides Lumen's {@code runbook}. */
  private static Map<String, String> withRunbook(
      Objective objective, Map<String, String> annotations) {
    if (objective.runbookUrl() != null) {
      annotations.put("runbook_url", objective.runbookUrl());
    }
    if (objective.description() != null) {
      annotations.put("objective_description", objective.description());
    }
    return annotations;
  }

  static Map<String, String> annotations(String summary, String description, String anchor) {
    var annotations = new LinkedHashMap<String, String>();
    annotations.put("summary", summary);
    annotations.put("description", description);
    annotations.put("runbook", RUNBOOK + anchor);
    return annotations;
  }

  private static String matcher(Map<String, String> labels) {
    var parts = new ArrayList<String>();
    labels.forEach((k, v) -> parts.add(k + "=\"" + v.replace("\"", "\\\"") + "\""));
    return "{" + String.join(",", parts) + "}";
  }

  private static String factor(double value) {
    return Decimals.format(value, 4);
  }

  private static String budget(double value) {
    return Decimals.format(value, 6);
  }
}
