package dev.lumen.sim.scenario;

import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.clock.FastClock;
import dev.lumen.reconciler.Pacing;
import dev.lumen.sim.SimulatedCluster;
import dev.lumen.testkit.redis.LocalRedis;
import dev.lumen.testkit.world.SimCache;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Runs a scenario live: the embedded Kubernetes API server, the simulated world behind loopback
 * Cloud Run and Cloud Monitoring, a real Redis for each cache, and the real operator with its real
 * Google and Redis adapters, all on one fast clock. The resources are applied as a user would, and
 * their status is read back from the API server as a user would.
 */
public final class LiveRun {
  private static final Duration POLL = Duration.ofMillis(100);

  /** What the live view shows while the scenario runs. */
  public interface Watcher {
    /** Called after every read of the resources, with the scenario time. */
    void tick(Instant now, Recording recording);

    /**
     * The machine could not keep up: the clock runs slower from now on, or went on without an
     * evaluation Lumen did not begin; one line for people.
     */
    default void note(Instant now, String line) {}
  }

  private final ScenarioFile.Loaded loaded;
  private final double speed;
  private final Optional<URI> redis;
  private Optional<Path> kubeconfig = Optional.empty();

  /**
   * @param speed how many times faster than real time the scenario runs
   * @param redis a Redis to use for the scenario's cache instead of starting one
   */
  public LiveRun(ScenarioFile.Loaded loaded, double speed, Optional<URI> redis) {
    this.loaded = loaded;
    this.speed = speed;
    this.redis = redis;
    long caches = loaded.scenario().services().stream().filter(s -> s.cache() != null).count();
    if (redis.isPresent() && caches > 1) {
      throw new IllegalArgumentException(
          "--redis serves one cache, but the scenario has "
              + caches
              + "; leave --redis out and the demo starts a Redis for each");
    }
  }

  /**
   * Writes a kubeconfig for the embedded API server while the scenario runs (removed after), its
   * context in the scenario's namespace, so that kubectl and kubectl lumen can look on.
   */
  public LiveRun withKubeconfig(Path path) {
    this.kubeconfig = Optional.of(path);
    return this;
  }

  public Recording run(Consumer<Journal.Entry> onEntry, Watcher watcher) throws IOException {
    Scenario scenario = loaded.scenario();
    String namespace = scenario.name();
    Recording recording = new Recording();
    recording.journal().onEntry(onEntry);
    var statusWatcher = new StatusWatcher(recording);
    var clock = FastClock.stopped(scenario.startTime(), speed);
    List<AutoCloseable> closer = new ArrayList<>();
    try {
      var cluster = SimulatedCluster.start(clock, scenario.seedOrDefault(), Duration.ofMillis(20));
      closer.add(0, cluster);
      if (kubeconfig.isPresent()) {
        Path written = cluster.api().writeKubeconfig(kubeconfig.get(), namespace);
        closer.add(0, () -> Files.deleteIfExists(written));
      }
      KubernetesClient client = cluster.client();
      var google = cluster.google();
      google.world().onMinute(recording::served);
      ScenarioWorld.build(
          scenario,
          google.world(),
          service -> {
            URI url =
                redis.orElseGet(
                    () -> {
                      var local = LocalRedis.start();
                      closer.add(0, local);
                      return local.url();
                    });
            secret(
                client,
                namespace,
                service.cache().urlSecretRef().name(),
                service.cache().urlSecretRef().key(),
                url);
            SimCache cache = SimCache.inRedis(url, ScenarioWorld.usage(service));
            closer.add(0, cache);
            return cache;
          },
          recording.journal());

      var registry = new SimpleMeterRegistry();
      var lockstep = new Lockstep(clock);
      var operator =
          cluster.startOperator(
              cluster.settings().withPacing(new Pacing(clock::speed, lockstep)),
              registry,
              UnaryOperator.identity());
      closer.add(0, operator);
      var paceKeeper = new PaceKeeper(clock);

      for (var secret : loaded.secrets()) {
        var resource =
            client
                .getKubernetesSerialization()
                .convertValue(secret, GenericKubernetesResource.class);
        client.resource(resource).inNamespace(namespace).create();
      }
      loaded.sloTargets().forEach(t -> client.resource(t).inNamespace(namespace).create());
      loaded.policies().forEach(p -> client.resource(p).inNamespace(namespace).create());
      clock.start();

      Instant end = scenario.endTime();
      while (true) {
        Instant now = clock.instant();
        for (var t : client.resources(SLOTarget.class).inNamespace(namespace).list().getItems()) {
          statusWatcher.sloTarget(t.getMetadata().getName(), t.getStatus());
        }
        for (var p : client.resources(LumenPolicy.class).inNamespace(namespace).list().getItems()) {
          statusWatcher.policy(p.getMetadata().getName(), p.getStatus(), now);
        }
        watcher.tick(now, recording);
        lockstep.check().ifPresent(line -> watcher.note(now, line));
        paceKeeper.check().ifPresent(s -> watcher.note(now, s.describe()));
        if (!now.isBefore(end)) {
          return recording;
        }
        sleep(POLL);
      }
    } finally {
      for (AutoCloseable c : closer) {
        try {
          c.close();
        } catch (Exception e) {
          // Closing what is left matters more than one failure to close.
        }
      }
    }
  }

  private static void secret(
      KubernetesClient client, String namespace, String name, String key, URI url) {
    client
        .secrets()
        .inNamespace(namespace)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withStringData(Map.of(key, url.toString()))
                .build())
        .create();
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
