package dev.lumen.engine.slo;

import dev.lumen.engine.measure.CacheCounts;
import dev.lumen.engine.measure.Sample;
import dev.lumen.engine.measure.TrafficWindow;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What was measured for one service, per trailing window ending now. A window that is missing means
 * no data for it, which the engine never treats as good or bad data.
 *
 * @param traffic request outcomes and latencies per window (see {@link
 *     SloEvaluator#requiredWindows})
 * @param cache cache lookups per window
 * @param custom samples of each custom objective's query, by objective name, oldest first
 */
public record SloObservations(
    Map<Duration, TrafficWindow> traffic,
    Map<Duration, CacheCounts> cache,
    Map<String, List<Sample>> custom) {

  public static final SloObservations NONE = new SloObservations(Map.of(), Map.of(), Map.of());

  Optional<TrafficWindow> traffic(Duration window) {
    return Optional.ofNullable(traffic.get(window));
  }

  Optional<CacheCounts> cache(Duration window) {
    return Optional.ofNullable(cache.get(window));
  }

  List<Sample> custom(String objective) {
    return custom.getOrDefault(objective, List.of());
  }
}
