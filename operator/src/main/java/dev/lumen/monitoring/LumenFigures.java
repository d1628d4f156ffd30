package dev.lumen.monitoring;

import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.ObjectiveStatus;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.api.v1alpha1.SLOTargetStatus;
import dev.lumen.engine.Decimals;
import dev.lumen.ports.MetricWriter;
import dev.lumen.ports.MetricWriter.Point;
import dev.lumen.ports.MetricWriter.Series;
import dev.lumen.ports.PortException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lumen's figures as Cloud Monitoring custom metrics ({@link LumenMetricTypes}), for the dashboard
 * and alert policies: each evaluation leaves its resource's latest values here, and {@link
 * #flushDue} writes each project's at most once a {@link #INTERVAL}, every series one point, in
 * calls of at most 200 series. A resource deleted leaves no series behind to write.
 */
public final class LumenFigures {
  public static final Duration INTERVAL = Duration.ofMinutes(1);
  private static final Logger LOG = LoggerFactory.getLogger(LumenFigures.class);

  private final MetricWriter writer;

  /** Latest value per series, per project, per resource (namespace/kind/name). */
  private final Map<String, Map<String, Map<Series, Double>>> byProject = new ConcurrentHashMap<>();

  private final Map<String, Map<String, Integer>> decisions = new ConcurrentHashMap<>();
  private final Map<String, Instant> lastFlush = new ConcurrentHashMap<>();
  private final Map<String, String> projectOfResource = new ConcurrentHashMap<>();
  private final Map<String, Map<String, String>> baseLabels = new ConcurrentHashMap<>();
  private volatile int calls;

  public LumenFigures(MetricWriter writer) {
    this.writer = writer;
  }

  public void record(SLOTarget target) {
    var status = target.getStatus();
    if (status == null || target.getSpec() == null) {
      return;
    }
    var run = target.getSpec().service().cloudRun();
    Map<String, String> base =
        labels(target.getMetadata().getNamespace(), run.name(), target.getMetadata().getName());
    Map<Series, Double> values = new HashMap<>();
    BiConsumer<String, Optional<Double>> put =
        (type, value) -> value.ifPresent(v -> values.put(new Series(type, base), v));
    put.accept(LumenMetricTypes.SLO_COMPLIANCE, number(status.getCompliance()));
    if (status.getState() != null && status.getState() != SLOTargetStatus.SloState.NoData) {
      put.accept(LumenMetricTypes.SLO_STATE, Optional.of(stateValue(status.getState())));
    }
    for (ObjectiveStatus objective : status.getObjectives()) {
      var labels = with(base, "objective", objective.name());
      number(objective.current())
          .ifPresent(v -> values.put(new Series(LumenMetricTypes.OBJECTIVE_VALUE, labels), v));
      number(objective.errorBudgetRemaining())
          .ifPresent(
              v -> values.put(new Series(LumenMetricTypes.ERROR_BUDGET_REMAINING, labels), v));
      if (objective.burnRates() != null) {
        objective
            .burnRates()
            .forEach(
                b ->
                    number(b.longRate())
                        .ifPresent(
                            v ->
                                values.put(
                                    new Series(
                                        LumenMetricTypes.BURN_RATE,
                                        with(labels, "window", b.longWindow())),
                                    v)));
      }
    }
    keep(
        SloDefinitions.project(target),
        "SLOTarget/" + key(target.getMetadata().getNamespace(), target.getMetadata().getName()),
        values);
  }

  public void record(LumenPolicy policy) {
    var status = policy.getStatus();
    if (status == null || policy.getSpec() == null) {
      return;
    }
    var run = policy.getSpec().service().cloudRun();
    Map<String, String> base =
        labels(policy.getMetadata().getNamespace(), run.name(), policy.getMetadata().getName());
    Map<Series, Double> values = new HashMap<>();
    values.put(
        new Series(LumenMetricTypes.CANARY_WEIGHT, base),
        status.getCanaryWeight() == null ? 0.0 : status.getCanaryWeight());
    if (status.getHealth() != null) {
      number(status.getHealth().score())
          .ifPresent(v -> values.put(new Series(LumenMetricTypes.HEALTH_SCORE, base), v));
    }
    if (status.getMaturity() != null) {
      number(status.getMaturity().score())
          .ifPresent(v -> values.put(new Series(LumenMetricTypes.MATURITY_SCORE, base), v));
      if (status.getMaturity().measures() != null) {
        status.getMaturity().measures().stream()
            .filter(m -> "cacheHitRatePercent".equals(m.name()))
            .findFirst()
            .flatMap(m -> number(m.value()))
            .ifPresent(v -> values.put(new Series(LumenMetricTypes.CACHE_HIT_RATE, base), v));
      }
    }
    number(status.getRoi())
        .ifPresent(v -> values.put(new Series(LumenMetricTypes.ROI_PERCENT, base), v));
    if (status.getBudget() != null) {
      number(status.getBudget().forecast())
          .ifPresent(
              v ->
                  values.put(
                      new Series(
                          LumenMetricTypes.MONTHLY_COST,
                          with(base, "currency", String.valueOf(status.getBudget().currency()))),
                      v));
    }
    String resource =
        "LumenPolicy/" + key(policy.getMetadata().getNamespace(), policy.getMetadata().getName());
    baseLabels.put(resource, base);
    keep(run.project(), resource, values);
  }

  /** One decision of a policy, counted into its next point. */
  public void decision(LumenPolicy policy, String kind) {
    decisions
        .computeIfAbsent(
            "LumenPolicy/"
                + key(policy.getMetadata().getNamespace(), policy.getMetadata().getName()),
            r -> new ConcurrentHashMap<>())
        .merge(kind, 1, Integer::sum);
  }

  /** A deleted resource: its series are no longer written. */
  public void forget(String kind, String namespace, String name) {
    String resource = kind + "/" + key(namespace, name);
    decisions.remove(resource);
    baseLabels.remove(resource);
    String project = projectOfResource.remove(resource);
    if (project != null) {
      byProject.getOrDefault(project, Map.of()).remove(resource);
    }
  }

  /**
   * Writes the figures of every project whose interval is over, at {@code now}; a project whose
   * write fails is tried again at its next interval, with what is latest then.
   */
  public void flushDue(Instant now) {
    byProject.forEach(
        (project, resources) -> {
          Instant last = lastFlush.get(project);
          if (last != null && last.plus(INTERVAL).isAfter(now)) {
            return;
          }
          lastFlush.put(project, now);
          List<Point> points = new ArrayList<>();
          resources
              .values()
              .forEach(series -> series.forEach((s, v) -> points.add(new Point(s, now, v))));
          // Decisions are counts per interval: taken now, they start again from zero.
          for (String resource : resources.keySet()) {
            Map<String, Integer> counted = decisions.remove(resource);
            Map<String, String> base = baseLabels.get(resource);
            if (counted != null && base != null) {
              counted.forEach(
                  (decision, count) ->
                      points.add(
                          new Point(
                              new Series(
                                  LumenMetricTypes.DECISIONS, with(base, "decision", decision)),
                              now,
                              count)));
            }
          }
          for (int from = 0; from < points.size(); from += MetricWriter.MAX_SERIES) {
            var batch =
                points.subList(from, Math.min(points.size(), from + MetricWriter.MAX_SERIES));
            try {
              writer.write(project, batch);
              calls++;
            } catch (PortException e) {
              LOG.warn(
                  "Lumen's figures for project {} were not written: {}", project, e.getMessage());
              return;
            }
          }
        });
  }

  /** CreateTimeSeries calls made so far. */
  public int calls() {
    return calls;
  }

  /** Series held now, over every project. */
  public int series() {
    return byProject.values().stream()
        .mapToInt(r -> r.values().stream().mapToInt(Map::size).sum())
        .sum();
  }

  private void keep(String project, String resource, Map<Series, Double> values) {
    String before = projectOfResource.put(resource, project);
    if (before != null && !before.equals(project)) {
      byProject.getOrDefault(before, Map.of()).remove(resource);
    }
    byProject
        .computeIfAbsent(project, p -> new ConcurrentHashMap<>())
        .put(resource, Map.copyOf(values));
  }

  private static double stateValue(SLOTargetStatus.SloState state) {
    return switch (state) {
      case Healthy -> 0;
      case Warning -> 1;
      default -> 2;
    };
  }

  private static Map<String, String> labels(String namespace, String service, String name) {
    var labels = new TreeMap<String, String>();
    labels.put("namespace", namespace == null ? "default" : namespace);
    labels.put("service", service);
    labels.put("name", name);
    return labels;
  }

  private static Map<String, String> with(Map<String, String> labels, String key, String value) {
    var more = new TreeMap<>(labels);
    more.put(key, value);
    return more;
  }

  private static String key(String namespace, String name) {
    return (namespace == null ? "default" : namespace) + "/" + name;
  }

  /** Cloud Monitoring takes finite values only. */
  private static Optional<Double> number(String text) {
    return Decimals.tryParse(text).filter(Double::isFinite);
  }
}
