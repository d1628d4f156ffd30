package dev.lumen.sim.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.api.v1alpha1.SecretKeyReference;
import dev.lumen.cli.Manifests;
import dev.lumen.engine.Durations;
import dev.lumen.testkit.world.SimWorld;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A simulation, as written in a scenario file: the Cloud Run services and how their revisions
 * behave, what happens when, the Lumen resources to apply, how long to run and what must come of
 * it. {@link ScenarioFile} reads and checks it; docs/simulation.md documents every field.
 */
public record Scenario(
    String apiVersion,
    String kind,
    String name,
    String description,
    Long seed,
    String start,
    String duration,
    List<ServiceSpec> services,
    List<MetricSpec> metrics,
    List<Happening> timeline,
    List<JsonNode> resources,
    List<Expectation> expect) {

  public static final String API_VERSION = Manifests.SCENARIO_API_VERSION;
  public static final String KIND = Manifests.SCENARIO_KIND;
  static final String DEFAULT_START = "2026-03-02T10:00:00Z";
  static final String DEFAULT_PROJECT = "demo-project";
  static final String DEFAULT_REGION = "europe-west1";

  public Scenario {
    services = Objects.requireNonNullElse(services, List.of());
    metrics = Objects.requireNonNullElse(metrics, List.of());
    timeline = Objects.requireNonNullElse(timeline, List.of());
    resources = Objects.requireNonNullElse(resources, List.of());
    expect = Objects.requireNonNullElse(expect, List.of());
  }

  /** The same scenario with another seed: the same story, other random draws. */
  public Scenario withSeed(long otherSeed) {
    return new Scenario(
        apiVersion,
        kind,
        name,
        description,
        otherSeed,
        start,
        duration,
        services,
        metrics,
        timeline,
        resources,
        expect);
  }

  public long seedOrDefault() {
    return seed == null ? 1 : seed;
  }

  public Instant startTime() {
    return Instant.parse(start == null ? DEFAULT_START : start);
  }

  public Duration length() {
    return Durations.parse(duration);
  }

  public Instant endTime() {
    return startTime().plus(length());
  }

  /** The service named {@code name}; the scenario was checked, so it exists. */
  public ServiceSpec service(String name) {
    return services.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  /**
   * A simulated Cloud Run service.
   *
   * @param revision the revision serving all traffic at the start
   * @param dailySwingPercent how far the request rate moves over a day (busiest at 14:00 UTC)
   * @param history how long the revision served before the start, in Monitoring (e.g. 24h), for
   *     what looks further back than the scenario; none by default
   * @param cache the application's cache, when a policy tunes its TTL
   */
  public record ServiceSpec(
      String name,
      String project,
      String region,
      Double requestsPerMinute,
      Double dailySwingPercent,
      RevisionSpec revision,
      CacheSpec cache,
      String history) {
    public CloudRunServiceReference reference() {
      return new CloudRunServiceReference(
          project == null ? DEFAULT_PROJECT : project,
          region == null ? DEFAULT_REGION : region,
          name);
    }
  }

  /**
   * How a revision behaves; what is left out keeps its value (healthy values for a new revision).
   */
  public record RevisionSpec(
      String name, Double errorPercent, String medianLatency, Double coldStartPercent) {
    SimWorld.Behaviour over(SimWorld.Behaviour base) {
      return new SimWorld.Behaviour(
          errorPercent == null ? base.errorRate() : errorPercent / 100,
          medianLatency == null
              ? base.medianLatencyMillis()
              : Durations.parse(medianLatency).toMillis(),
          coldStartPercent == null ? base.coldStartRate() : coldStartPercent / 100,
          base.latencySpread());
    }
  }

  /**
   * The application's cache: a Redis whose hit rate follows the TTL Lumen publishes.
   *
   * @param urlSecretRef the Secret the policy reads the Redis URL from; the simulator creates it
   * @param refreshTime how long entries go unread on average: the hit rate is ttl / (ttl + this)
   */
  public record CacheSpec(
      SecretKeyReference urlSecretRef,
      String ttlKey,
      String defaultTtl,
      String refreshTime,
      Integer lookupsPerMinute) {}

  /**
   * A metric of the application's own and its value, written once a minute: the one series a PromQL
   * query answers through Cloud Monitoring's Prometheus API, or a Monitoring metric type; exactly
   * one of {@code promql} and {@code type}.
   *
   * @param project the metrics scope; the default project when left out
   */
  public record MetricSpec(String project, String promql, String type, Double value) {
    SimWorld.CustomMetric metric() {
      return new SimWorld.CustomMetric(project == null ? DEFAULT_PROJECT : project, promql, type);
    }
  }

  /** Something that happens {@code at} a time after the start; exactly one kind is set. */
  public record Happening(
      String at,
      RevisionChange deploy,
      RevisionChange behave,
      LatencyCreep latencyCreep,
      Outage monitoringOutage,
      TrafficEdit editTraffic,
      MetricSpec setMetric) {
    public Duration offset() {
      return Durations.parse(at);
    }
  }

  /** A revision of {@code service}, deployed or changing how it behaves. */
  public record RevisionChange(
      String service,
      String revision,
      Double errorPercent,
      String medianLatency,
      Double coldStartPercent) {
    RevisionSpec behaviour() {
      return new RevisionSpec(revision, errorPercent, medianLatency, coldStartPercent);
    }
  }

  /** The revision's median latency grows linearly to {@code toMedianLatency} over {@code over}. */
  public record LatencyCreep(
      String service, String revision, String toMedianLatency, String over) {}

  /** Every Cloud Monitoring read fails with UNAVAILABLE {@code for} this long. */
  public record Outage(@JsonProperty("for") String lasting) {}

  /** Someone sets the traffic split by hand, outside Lumen. */
  public record TrafficEdit(String service, Map<String, Integer> split) {}

  /** What must come of the run; exactly one kind is set. */
  public record Expectation(
      Promoted promoted,
      RolledBack rolledBack,
      ServiceOnly noRollback,
      Window noTrafficChange,
      FinalTraffic traffic,
      Range minInstances,
      Range cacheTtl,
      SloState sloState,
      SloOnly objectivesMeasured) {}

  /** {@code revision} of {@code service} gets all traffic, {@code by} a time after the start. */
  public record Promoted(String service, String revision, String by) {}

  /**
   * Traffic to {@code revision} is taken away before it reached 100 %, {@code within} its fault
   * (its first {@code behave} or {@code latencyCreep}, else its deploy).
   */
  public record RolledBack(String service, String revision, String within) {}

  public record ServiceOnly(String service) {}

  /** Lumen leaves the traffic of {@code service} alone from {@code from} until {@code until}. */
  public record Window(String service, String from, String until) {}

  /** The split at the end. */
  public record FinalTraffic(String service, Map<String, Integer> split) {}

  /**
   * A value at the end, min-instances as a count or the cache TTL as a duration; {@code maxChanges}
   * bounds how often Lumen changed it.
   */
  public record Range(String service, String atLeast, String atMost, Integer maxChanges) {}

  /** At the end, every objective of the SLOTarget has a measured value. */
  public record SloOnly(String sloTarget) {}

  /** The SLOTarget's state at the end is one of {@code in}. */
  public record SloState(String sloTarget, List<String> in) {}
}
