package dev.lumen.benchmarks.scale;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Arrays;

/**
 * What Prometheus' scrape of {@code /metrics} costs the operator: the registry rendered as the HTTP
 * handler renders it, {@link #TIMES} times, and the series it holds (non-comment lines).
 */
record Scrape(double medianMillis, double maxMillis, long series) {
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
    long series = text.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).count();
    return new Scrape(millis[TIMES / 2], millis[TIMES - 1], series);
  }
}
