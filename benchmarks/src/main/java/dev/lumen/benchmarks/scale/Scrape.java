package dev.lumen.benchmarks.scale;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Arrays;

/**
 * What Prometheus' scrape of {@code /metrics} costs the operator: the registry rendered as the HTTP
 * handler renders it, {@link #TIMES} times, and the series it holds (non-comment lines).
 */
record Scrape(
    double medianMillis, double maxMillis, long series, java.util.List<String> largestFamilies) {
  static final int TIMES = 7;

  static Scrape time(PrometheusMeterRegistry registry) {
    double[] millis = new double[TIMES];
    String text = "";
    for (int i = 0; i < TIMES; i++) {
      long started = System.nanoTime();
      text = registry.scrape();
      millis[i] = (System.nanoTime() - started) / 1e6;
    }
    Arrays.sort(millis);
    var samples = text.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    var byFamily =
        samples.stream()
            .collect(
                java.util.stream.Collectors.groupingBy(
                    l -> l.replaceAll("[{ ].*", ""), java.util.stream.Collectors.counting()));
    var largest =
        byFamily.entrySet().stream()
            .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
            .limit(6)
            .map(e -> e.getKey() + " " + e.getValue())
            .toList();
    return new Scrape(millis[TIMES / 2], millis[TIMES - 1], samples.size(), largest);
  }
}
