package dev.lumen.reconciler.slotarget;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a publisher last saw right for each SLOTarget, trusted while the generation stays and until
 * a recheck is due: what it keeps elsewhere (a PrometheusRule, Cloud Monitoring objects) is read
 * back only then, which repairs hand edits within the recheck without reading every evaluation.
 */
final class SeenRight<O> {
  private record Seen<O>(long generation, Instant at, O outcome) {}

  private final Duration recheck;
  private final Map<String, Seen<O>> seen = new ConcurrentHashMap<>();

  SeenRight(Duration recheck) {
    this.recheck = recheck;
  }

  /** The outcome seen right for this generation, unless the recheck is due. */
  Optional<O> stillRight(String key, long generation, Instant now) {
    Seen<O> last = seen.get(key);
    if (last != null && last.generation() == generation && last.at().plus(recheck).isAfter(now)) {
      return Optional.of(last.outcome());
    }
    return Optional.empty();
  }

  void right(String key, long generation, Instant now, O outcome) {
    seen.put(key, new Seen<>(generation, now, outcome));
  }

  /** Not right, or gone: read back at the next evaluation. */
  void forget(String key) {
    seen.remove(key);
  }
}
