package dev.lumen.monitoring;

import com.google.monitoring.v3.DistributionCut;
import com.google.monitoring.v3.Range;
import com.google.monitoring.v3.RequestBasedSli;
import com.google.monitoring.v3.Service;
import com.google.monitoring.v3.ServiceLevelIndicator;
import com.google.monitoring.v3.ServiceLevelObjective;
import com.google.monitoring.v3.TimeSeriesRatio;
import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.api.v1alpha1.Objective;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.engine.Decimals;
import dev.lumen.engine.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An SLOTarget as Service Monitoring sees it: a Service for its Cloud Run service, and a
 * request-based ServiceLevelObjective per objective the SLO API can express (availability and error
 * rate as good/total ratios of {@code request_count} by response class, latency as a distribution
 * cut of {@code request_latencies}), over the SLOTarget's window as rolling period.
 */
final class SloDefinitions {
  static final String REQUEST_COUNT = "run.googleapis.com/request_count";
  static final String REQUEST_LATENCIES = "run.googleapis.com/request_latencies";

  /** The SLO API's highest goal. */
  static final double MAX_GOAL = 0.9999;

  /** The SLO API's longest rolling period. */
  static final Duration MAX_PERIOD = Duration.ofDays(30);

  private SloDefinitions() {}

  record Rendered(
      Service service,
      List<ServiceLevelObjective> objectives,
      List<MonitoringObjects.NotExpressed> notExpressed) {}

  /** The project that holds the Service: the metrics scope the SLOTarget reads. */
  static String project(SLOTarget target) {
    var source = target.getSpec().source();
    if (source != null && source.cloudMonitoring() != null) {
      if (source.cloudMonitoring().project() != null) {
        return source.cloudMonitoring().project();
      }
    }
    return target.getSpec().service().cloudRun().project();
  }

  /** lumen-NAMESPACE-NAME: one Service per SLOTarget, even for two SLOTargets of one service. */
  static String serviceId(SLOTarget target) {
    return ("lumen-" + Ownership.namespaceOf(target) + "-" + target.getMetadata().getName())
        .replace('.', '-');
  }

  static String serviceName(SLOTarget target) {
    return "projects/" + project(target) + "/services/" + serviceId(target);
  }

  static String sloName(SLOTarget target, Objective objective) {
    return serviceName(target) + "/serviceLevelObjectives/" + objective.name().replace('.', '-');
  }

  static Rendered render(SLOTarget target) {
    CloudRunServiceReference run = target.getSpec().service().cloudRun();
    var service =
        Service.newBuilder()
            .setName(serviceName(target))
            .setDisplayName(
                "Lumen "
                    + Ownership.namespaceOf(target)
                    + "/"
                    + target.getMetadata().getName()
                    + ": Cloud Run "
                    + run.name())
            .setCloudRun(
                Service.CloudRun.newBuilder().setServiceName(run.name()).setLocation(run.region()))
            .putAllUserLabels(Ownership.labels(target))
            .build();
    List<ServiceLevelObjective> objectives = new ArrayList<>();
    List<MonitoringObjects.NotExpressed> notExpressed = new ArrayList<>();
    Optional<String> periodProblem = periodProblem(target.getSpec().window());
    for (Objective objective : target.getSpec().objectives()) {
      Optional<String> why = whyNot(objective);
      if (why.isEmpty() && periodProblem.isPresent()) {
        why = periodProblem;
      }
      if (why.isPresent()) {
        notExpressed.add(new MonitoringObjects.NotExpressed(objective.name(), why.get()));
        continue;
      }
      double goal = goal(objective);
      if (goal <= 0 || goal > MAX_GOAL) {
        notExpressed.add(
            new MonitoringObjects.NotExpressed(
                objective.name(),
                "its goal "
                    + Decimals.format(goal * 100, 4)
                    + " % lies outside the SLO API's (0 %, 99.99 %]"));
        continue;
      }
      objectives.add(
          ServiceLevelObjective.newBuilder()
              .setName(sloName(target, objective))
              .setDisplayName(displayName(objective))
              .setGoal(goal)
              .setRollingPeriod(
                  com.google.protobuf.Duration.newBuilder()
                      .setSeconds(Durations.parse(target.getSpec().window()).toSeconds()))
              .setServiceLevelIndicator(indicator(run, objective))
              .putAllUserLabels(Ownership.labels(target))
              .build());
    }
    return new Rendered(service, objectives, notExpressed);
  }

  /** The rolling period must be whole days, at most 30. */
  private static Optional<String> periodProblem(String window) {
    Duration period = Durations.parse(window);
    if (period.compareTo(MAX_PERIOD) > 0) {
      return Optional.of(
          "spec.window " + window + " is longer than the SLO API's longest rolling period, 30d");
    }
    if (period.toSeconds() % Duration.ofDays(1).toSeconds() != 0) {
      return Optional.of(
          "spec.window "
              + window
              + " is not a whole number of days, which the SLO API's rolling period must be");
    }
    return Optional.empty();
  }

  private static Optional<String> whyNot(Objective objective) {
    if (objective.cacheHitRate() != null) {
      return Optional.of(
          "a cache hit rate counts hits over lookups of the cache, which are not Cloud Run"
              + " requests; the SLO API could only count good minutes of a hit ratio, another SLI");
    }
    if (objective.custom() != null) {
      return Optional.of(
          "a custom objective bounds a query's value for a duration; it has no good and total"
              + " events for the SLO API to count");
    }
    return Optional.empty();
  }

  private static double goal(Objective objective) {
    if (objective.availability() != null) {
      return Decimals.parse(objective.availability().target()) / 100;
    }
    if (objective.errorRate() != null) {
      return 1 - Decimals.parse(objective.errorRate().max()) / 100;
    }
    return objective.latency().percentile() / 100.0;
  }

  private static String displayName(Objective objective) {
    if (objective.description() != null) {
      return objective.name() + ": " + objective.description();
    }
    return objective.name();
  }

  private static ServiceLevelIndicator indicator(
      CloudRunServiceReference run, Objective objective) {
    String revisions =
        " AND resource.type = \"cloud_run_revision\""
            + " AND resource.labels.service_name = \""
            + run.name()
            + "\" AND resource.labels.location = \""
            + run.region()
            + "\"";
    String requests = "metric.type = \"" + REQUEST_COUNT + "\"" + revisions;
    if (objective.latency() != null) {
      double thresholdMillis = Durations.parse(objective.latency().threshold()).toNanos() / 1e6;
      return ServiceLevelIndicator.newBuilder()
          .setRequestBased(
              RequestBasedSli.newBuilder()
                  .setDistributionCut(
                      DistributionCut.newBuilder()
                          .setDistributionFilter(
                              "metric.type = \"" + REQUEST_LATENCIES + "\"" + revisions)
                          .setRange(Range.newBuilder().setMin(0).setMax(thresholdMillis))))
          .build();
    }
    String badClasses =
        objective.availability() != null
            ? " AND metric.labels.response_code_class = \"5xx\""
            : " AND metric.labels.response_code_class = one_of(\"4xx\", \"5xx\")";
    return ServiceLevelIndicator.newBuilder()
        .setRequestBased(
            RequestBasedSli.newBuilder()
                .setGoodTotalRatio(
                    TimeSeriesRatio.newBuilder()
                        .setBadServiceFilter(requests + badClasses)
                        .setTotalServiceFilter(requests)))
        .build();
  }
}
