package dev.lumen.sim.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.api.v1alpha1.SecretKeyReference;
import dev.lumen.engine.Durations;
import dev.lumen.sim.scenario.Journal.Entry;
import dev.lumen.testkit.world.SimCache;
import dev.lumen.testkit.world.SimWorld;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A backtest over recorded metrics instead of a scenario's story: the policies and SLOTargets, and
 * a CSV of what their services' revisions did minute by minute ({@link RecordedMetrics}). Lumen
 * decides the traffic split; the recording decides how each revision behaves under it.
 */
public final class RecordedBacktest {
  private RecordedBacktest() {}

  /** The run's resources, as a scenario without a story, and the world they run in. */
  public record Prepared(ScenarioFile.Loaded loaded, Backtest.WorldBuilder world) {}

  /**
   * @param resources the LumenPolicies and SLOTargets (and Secrets) to judge, already read
   */
  public static Prepared prepare(List<JsonNode> resources, Path csv) {
    Map<String, CloudRunServiceReference> watched = new LinkedHashMap<>();
    Map<String, JsonNode> tunedCaches = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (JsonNode resource : resources) {
      JsonNode ref = resource.path("spec").path("service").path("cloudRun");
      if (ref.isMissingNode()) {
        continue;
      }
      var reference =
          new CloudRunServiceReference(
              ref.path("project").asText(), ref.path("region").asText(), ref.path("name").asText());
      JsonNode redis = resource.path("spec").path("tuning").path("cacheTtl").path("redis");
      if (redis.path("urlSecretRef").isObject()) {
        tunedCaches.putIfAbsent(reference.name(), redis);
      }
      var earlier = watched.putIfAbsent(reference.name(), reference);
      if (earlier != null && !earlier.equals(reference)) {
        problems.add(
            "the resources watch two services named "
                + reference.name()
                + " ("
                + earlier.resourceName()
                + ", "
                + reference.resourceName()
                + "); the recording names services by name only");
      }
    }
    if (watched.isEmpty()) {
      problems.add("no LumenPolicy or SLOTarget given: pass them with --policy and --slo");
    }
    if (!problems.isEmpty()) {
      throw new ScenarioException(csv.toString(), problems);
    }
    RecordedMetrics recorded;
    try (Reader in = Files.newBufferedReader(csv)) {
      recorded =
          RecordedMetrics.read(
              csv.toString(),
              in,
              watched.size() == 1
                  ? Optional.of(watched.keySet().iterator().next())
                  : Optional.empty());
    } catch (IOException e) {
      throw new ScenarioException(csv.toString(), List.of("cannot read: " + e.getMessage()));
    }
    List<Scenario.ServiceSpec> services = new ArrayList<>();
    for (var service : recorded.services().values()) {
      var ref = watched.get(service.service());
      if (ref == null) {
        problems.add(
            "service "
                + service.service()
                + " is recorded but no LumenPolicy or SLOTarget watches it; watched: "
                + watched.keySet());
        continue;
      }
      services.add(
          new Scenario.ServiceSpec(
              ref.name(),
              ref.project(),
              ref.region(),
              service.requestsPerMinute().values().stream()
                  .mapToLong(Long::longValue)
                  .average()
                  .orElse(0),
              null,
              new Scenario.RevisionSpec(service.initialRevision(), null, null, null),
              recordedCache(service, tunedCaches.get(service.service())),
              null));
    }
    watched.keySet().stream()
        .filter(name -> !recorded.services().containsKey(name))
        .forEach(name -> problems.add("service " + name + " is watched but has no rows"));
    if (!problems.isEmpty()) {
      throw new ScenarioException(csv.toString(), problems);
    }
    long minutes = Duration.between(recorded.start(), recorded.end()).toMinutes();
    var scenario =
        new Scenario(
            Scenario.API_VERSION,
            Scenario.KIND,
            "recorded",
            "recorded metrics from " + csv.getFileName(),
            1L,
            recorded.start().toString(),
            minutes + "m",
            services,
            List.of(),
            List.of(),
            resources,
            List.of());
    var loaded = ScenarioFile.checkRecorded(csv.toString(), scenario);
    return new Prepared(
        loaded, (world, caches, journal) -> replay(recorded, loaded, world, caches, journal));
  }

  /**
   * The application's cache, when its hit rate is recorded and a policy tunes its TTL: it starts
   * with the first recorded TTL, and its entries are re-read as often as each minute's hit rate and
   * TTL say. Without a policy tuning it, the recorded cache changes nothing and is left out.
   */
  private static Scenario.CacheSpec recordedCache(
      RecordedMetrics.ServiceRecording service, JsonNode tunedBy) {
    if (service.cache().isEmpty() || tunedBy == null) {
      return null;
    }
    var first = service.cache().firstEntry().getValue();
    JsonNode secret = tunedBy.path("urlSecretRef");
    return new Scenario.CacheSpec(
        new SecretKeyReference(secret.path("name").asText(), secret.path("key").asText()),
        tunedBy.path("ttlKey").isTextual() ? tunedBy.path("ttlKey").asText() : null,
        Durations.format(first.ttl()),
        Durations.format(first.refreshTime()),
        null);
  }

  private static void replay(
      RecordedMetrics recorded,
      ScenarioFile.Loaded loaded,
      SimWorld world,
      Function<Scenario.ServiceSpec, SimCache> caches,
      Journal journal) {
    Instant start = recorded.start();
    world.onHappening(h -> journal.add(new Entry(h.at(), h.subject(), h.kind(), h.what())));
    for (var spec : loaded.scenario().services()) {
      var service = recorded.services().get(spec.name());
      var ref = spec.reference();
      String initial = service.initialRevision();
      world.addService(ref, initial, 0, start.minus(Duration.ofDays(1)));
      world.recordedLoad(ref, minute -> service.requestsPerMinute().getOrDefault(minute, 0L));
      service
          .revisions()
          .forEach(
              (revision, behaviours) -> {
                world.recordedBehaviour(ref, revision, behaviours);
                var instances = service.instancesPerRequest().get(revision);
                if (instances != null) {
                  world.recordedInstances(ref, revision, instances);
                }
                if (!revision.equals(initial)) {
                  world.deployAt(
                      ref, revision, behaviours.firstEntry().getValue(), behaviours.firstKey());
                }
              });
      if (spec.cache() != null) {
        SimCache cache = caches.apply(spec);
        NavigableMap<Instant, Duration> refresh = new TreeMap<>();
        service
            .cache()
            .forEach((minute, recordedCache) -> refresh.put(minute, recordedCache.refreshTime()));
        cache.replay(refresh);
        world.attachCache(ref, cache);
      }
    }
  }
}
