package dev.lumen.benchmarks.scale;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.clock.FastClock;
import dev.lumen.testkit.world.SimWorld;
import dev.lumen.testkit.world.SimWorld.Behaviour;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How long a rollback takes with the rest of the fleet around it: each watched service's canary,
 * once it serves, turns to 100 % errors at the start of a clock minute; the regression is visible
 * in Cloud Monitoring when that minute ends, and the reaction is the time from then until Cloud Run
 * routes all traffic back to stable. The policies of these services roll back with {@code
 * gracePeriod: 0s} and serve 100 requests a second, so the first bad minute decides.
 */
final class Reactions implements AutoCloseable {
  static final Behaviour BROKEN = new Behaviour(1.0, 80, 0.02);

  private final SimWorld world;
  private final FastClock clock;
  private final Map<CloudRunServiceReference, String> canaries;
  private final Map<CloudRunServiceReference, Instant> brokenAt = new ConcurrentHashMap<>();
  private final java.util.Set<CloudRunServiceReference> rolledBack = ConcurrentHashMap.newKeySet();
  private final List<Double> seconds = Collections.synchronizedList(new ArrayList<>());
  private final Thread watcher;
  private volatile boolean stopped;

  /**
   * @param canaries the canary revision of each watched service, deployed just before
   */
  Reactions(SimWorld world, FastClock clock, Map<CloudRunServiceReference, String> canaries) {
    this.world = world;
    this.clock = clock;
    this.canaries = Map.copyOf(canaries);
    this.watcher = new Thread(this::watch, "reactions");
    watcher.setDaemon(true);
    watcher.start();
  }

  private void watch() {
    Map<CloudRunServiceReference, Instant> pending = new ConcurrentHashMap<>();
    while (!stopped && seconds.size() < canaries.size()) {
      Instant now = clock.instant();
      canaries.forEach(
          (ref, canary) -> {
            if (rolledBack.contains(ref)) {
              return;
            }
            var traffic = traffic(ref);
            Instant broken = brokenAt.get(ref);
            if (broken == null && traffic.getOrDefault(canary, 0) > 0) {
              // From the next whole minute: a minute is bad from its start.
              pending.putIfAbsent(ref, now.truncatedTo(ChronoUnit.MINUTES).plusSeconds(60));
            }
            Instant from = pending.get(ref);
            if (broken == null && from != null && !now.isBefore(from)) {
              world.behave(ref, canary, BROKEN);
              brokenAt.put(ref, from);
            }
            if (broken != null
                && traffic.getOrDefault(canary, 0) == 0
                && traffic.values().stream().anyMatch(p -> p == 100)) {
              Instant visible = broken.plus(Duration.ofMinutes(1));
              seconds.add(Duration.between(visible, now).toMillis() / 1000.0);
              rolledBack.add(ref);
            }
          });
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private Map<String, Integer> traffic(CloudRunServiceReference ref) {
    return world.cloudRun().find(ref.resourceName()).map(s -> s.traffic()).orElse(Map.of());
  }

  /** The reactions measured so far, in clock seconds from the regression being visible. */
  List<Double> seconds() {
    synchronized (seconds) {
      return List.copyOf(seconds);
    }
  }

  int watched() {
    return canaries.size();
  }

  @Override
  public void close() {
    stopped = true;
    watcher.interrupt();
  }
}
