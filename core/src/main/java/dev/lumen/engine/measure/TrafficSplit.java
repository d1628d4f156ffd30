package dev.lumen.engine.measure;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** Traffic splits (percent per revision) as Lumen compares them: 0 % entries left out, sorted. */
public final class TrafficSplit {
  private TrafficSplit() {}

  /** The revisions that get traffic, sorted by name; a revision at 0 % is not part of a split. */
  public static Map<String, Integer> withoutZeros(Map<String, Integer> split) {
    Map<String, Integer> result = new TreeMap<>();
    split.forEach(
        (revision, percent) -> {
          if (percent != null && percent > 0) {
            result.put(revision, percent);
          }
        });
    return Collections.unmodifiableMap(result);
  }
}
