package dev.lumen.engine.rollout;

import dev.lumen.engine.Severity;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** Something the shell should do; every action carries the reason it was decided. */
public sealed interface Action {
  String reason();

  /** A short CamelCase name, e.g. for events and the recent-decisions list. */
  String kind();

  /**
   * Route traffic: percent per revision, summing to 100, in a stable order; and tag revisions
   * (revision to tag) as spec.rollout.revisionTags asks, empty at the end of a rollout.
   */
  record SetTraffic(
      Map<String, Integer> split, String kind, String reason, Map<String, String> tags)
      implements Action {
    /** A split with no tags of Lumen's. */
    public SetTraffic(Map<String, Integer> split, String kind, String reason) {
      this(split, kind, reason, Map.of());
    }

    public SetTraffic {
      int sum = split.values().stream().mapToInt(Integer::intValue).sum();
      if (sum != 100 || split.values().stream().anyMatch(p -> p < 0 || p > 100)) {
        throw new IllegalArgumentException(
            "traffic split must be 0..100 each and sum to 100: " + split);
      }
      // Sorted, so that the same decision iterates the same way in every JVM.
      split = Collections.unmodifiableMap(new TreeMap<>(split));
      tags = Collections.unmodifiableMap(new TreeMap<>(tags));
    }
  }

  record SetMinInstances(int count, String reason) implements Action {
    @Override
    public String kind() {
      return "SetMinInstances";
    }
  }

  record SetCacheTtl(Duration ttl, String reason) implements Action {
    @Override
    public String kind() {
      return "SetCacheTtl";
    }
  }

  /** A Kubernetes event on the policy. */
  record Event(boolean warning, String kind, String reason) implements Action {}

  /** A message for people (Slack), sent to the channel of its severity. */
  record Notify(Severity severity, String kind, String reason) implements Action {}
}
