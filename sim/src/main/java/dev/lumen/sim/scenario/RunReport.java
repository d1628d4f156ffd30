package dev.lumen.sim.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.lumen.api.v1alpha1.GateStatus;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.engine.Decimals;
import dev.lumen.engine.Durations;
import dev.lumen.engine.measure.LatencyDistribution;
import dev.lumen.ports.FakeMetrics;
import dev.lumen.testkit.world.SimWorld.ServedMinute;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.commons.statistics.descriptive.DoubleStatistics;
import org.apache.commons.statistics.descriptive.Statistic;

/**
 * What a run amounts to, for people and programs: the expectations, the timeline, every service's
 * minutes, the SLO readings, the gates and a statistical summary. Written as JSON ({@code --json})
 * and drawn by {@link HtmlReport}.
 */
public record RunReport(
    String scenario,
    String description,
    String mode,
    long seed,
    String start,
    String duration,
    boolean met,
    List<Expectations.Result> expectations,
    List<TimelineEntry> timeline,
    List<ServiceSeries> services,
    List<Recording.SloReading> sloReadings,
    List<PolicyGates> gates,
    Map<String, String> policyServices) {

  /** An anomaly is a minute this many standard deviations away from the run's mean. */
  static final double ANOMALY_Z = 3;

  /**
   * @param at scenario time, e.g. 00:07
   */
  public record TimelineEntry(String time, String at, String subject, String kind, String text) {}

  /**
   * @param limits the policy's analysis limits for the charts, when a policy rolls it out
   */
  public record ServiceSeries(
      String name, Limits limits, List<Minute> minutes, Summary summary, List<Anomaly> anomalies) {}

  /** maxErrorRate in percent and maxLatencyP95 in milliseconds; null when not set. */
  public record Limits(Double maxErrorPercent, Double maxLatencyP95Millis) {}

  public record Minute(
      String time,
      Map<String, Integer> traffic,
      Map<String, RevisionMinute> revisions,
      int minInstances,
      Long cacheTtlSeconds,
      Double cacheHitPercent) {}

  public record RevisionMinute(
      long requests, long errors, double errorPercent, Double latencyP95Millis) {}

  /**
   * @param uptimePercent share of minutes with requests in which at most 1 % failed
   */
  public record Summary(
      long requests,
      double errorPercent,
      double meanLatencyP95Millis,
      double maxLatencyP95Millis,
      double uptimePercent) {}

  /** A minute whose error rate or p95 latency stands out, with its z-score. */
  public record Anomaly(String time, String measure, double value, double zScore) {}

  public record PolicyGates(String policy, List<GateStatus> gates) {}

  public static RunReport of(
      ScenarioFile.Loaded loaded,
      Recording recording,
      List<Expectations.Result> results,
      String mode) {
    Scenario s = loaded.scenario();
    List<TimelineEntry> timeline =
        recording.journal().entries().stream()
            .map(
                e ->
                    new TimelineEntry(
                        e.time().toString(),
                        ScenarioClock.format(s.startTime(), e.time()),
                        e.subject(),
                        e.kind(),
                        e.text()))
            .toList();
    List<ServiceSeries> services = new ArrayList<>();
    for (var service : s.services()) {
      List<Minute> minutes =
          recording.minutes(service.name()).stream().map(RunReport::minute).toList();
      services.add(
          new ServiceSeries(
              service.name(),
              limits(loaded.policies(), service.name()),
              minutes,
              summary(minutes),
              anomalies(minutes)));
    }
    List<PolicyGates> gates = new ArrayList<>();
    new TreeMap<>(recording.policies())
        .forEach((name, status) -> gates.add(new PolicyGates(name, status.getGates())));
    return new RunReport(
        s.name(),
        s.description(),
        mode,
        s.seedOrDefault(),
        s.startTime().toString(),
        s.duration(),
        Expectations.allMet(results),
        results,
        timeline,
        services,
        recording.sloReadings(),
        gates,
        policyServices(loaded));
  }

  private static Map<String, String> policyServices(ScenarioFile.Loaded loaded) {
    Map<String, String> services = new TreeMap<>();
    loaded
        .policies()
        .forEach(
            p -> services.put(p.getMetadata().getName(), p.getSpec().service().cloudRun().name()));
    return services;
  }

  public void writeJson(Writer out) throws IOException {
    new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(out, this);
  }

  private static Minute minute(ServedMinute m) {
    Map<String, RevisionMinute> revisions = new LinkedHashMap<>();
    m.revisions().forEach((revision, point) -> revisions.put(revision, revisionMinute(point)));
    return new Minute(
        m.end().toString(),
        new TreeMap<>(m.traffic()),
        revisions,
        m.minInstances(),
        m.cacheTtl().map(ttl -> ttl.toSeconds()).orElse(null),
        m.cacheHitRate().isPresent() ? round(m.cacheHitRate().getAsDouble() * 100) : null);
  }

  private static RevisionMinute revisionMinute(FakeMetrics.Point point) {
    long requests = point.requests().total();
    long errors = point.requests().serverErrors();
    var latency = new LatencyDistribution(FakeMetrics.LATENCY_BOUNDS, point.latencyCounts());
    return new RevisionMinute(
        requests,
        errors,
        requests == 0 ? 0 : round(100.0 * errors / requests),
        latency.total() == 0 ? null : round(latency.percentile(95)));
  }

  private static Limits limits(List<LumenPolicy> policies, String service) {
    return policies.stream()
        .filter(p -> p.getSpec().service().cloudRun().name().equals(service))
        .map(p -> p.getSpec().rollout())
        .filter(Objects::nonNull)
        .map(r -> r.analysis())
        .filter(Objects::nonNull)
        .map(
            a ->
                new Limits(
                    a.maxErrorRate() == null ? null : Decimals.parse(a.maxErrorRate()),
                    a.maxLatencyP95() == null
                        ? null
                        : (double) Durations.parse(a.maxLatencyP95()).toMillis()))
        .findFirst()
        .orElse(null);
  }

  private static Summary summary(List<Minute> minutes) {
    long requests = 0;
    long errors = 0;
    int served = 0;
    int up = 0;
    var p95 = DoubleStatistics.builder(Statistic.MEAN, Statistic.MAX).build();
    for (Minute m : minutes) {
      long r = m.revisions().values().stream().mapToLong(RevisionMinute::requests).sum();
      long e = m.revisions().values().stream().mapToLong(RevisionMinute::errors).sum();
      requests += r;
      errors += e;
      if (r > 0) {
        served++;
        up += 100.0 * e / r <= 1 ? 1 : 0;
      }
      serviceP95(m).ifPresent(p95::accept);
    }
    return new Summary(
        requests,
        requests == 0 ? 0 : round(100.0 * errors / requests),
        p95.getCount() == 0 ? 0 : round(p95.getAsDouble(Statistic.MEAN)),
        p95.getCount() == 0 ? 0 : round(p95.getAsDouble(Statistic.MAX)),
        served == 0 ? 0 : round(100.0 * up / served));
  }

  /** The highest p95 of the revisions serving in the minute. */
  private static java.util.OptionalDouble serviceP95(Minute m) {
    return m.revisions().values().stream()
        .map(RevisionMinute::latencyP95Millis)
        .filter(Objects::nonNull)
        .mapToDouble(Double::doubleValue)
        .max();
  }

  private static List<Anomaly> anomalies(List<Minute> minutes) {
    List<Anomaly> found = new ArrayList<>();
    double[] errorRates = new double[minutes.size()];
    double[] latencies = new double[minutes.size()];
    for (int i = 0; i < minutes.size(); i++) {
      Minute m = minutes.get(i);
      long r = m.revisions().values().stream().mapToLong(RevisionMinute::requests).sum();
      long e = m.revisions().values().stream().mapToLong(RevisionMinute::errors).sum();
      errorRates[i] = r == 0 ? 0 : 100.0 * e / r;
      latencies[i] = serviceP95(m).orElse(0);
    }
    flag(minutes, errorRates, "error rate %", found);
    flag(minutes, latencies, "p95 latency ms", found);
    found.sort(java.util.Comparator.comparing(Anomaly::time));
    return found;
  }

  private static void flag(
      List<Minute> minutes, double[] values, String measure, List<Anomaly> found) {
    var stats =
        DoubleStatistics.of(
            java.util.EnumSet.of(Statistic.MEAN, Statistic.STANDARD_DEVIATION), values);
    double mean = stats.getAsDouble(Statistic.MEAN);
    double sd = stats.getAsDouble(Statistic.STANDARD_DEVIATION);
    if (!(sd > 0)) {
      return;
    }
    for (int i = 0; i < values.length; i++) {
      double z = (values[i] - mean) / sd;
      if (Math.abs(z) >= ANOMALY_Z) {
        found.add(new Anomaly(minutes.get(i).time(), measure, round(values[i]), round(z)));
      }
    }
  }

  static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  public Instant startTime() {
    return Instant.parse(start);
  }
}
