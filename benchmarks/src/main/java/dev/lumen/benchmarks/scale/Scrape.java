package dev.lumen.benchmarks.scale;

import dev.lumen.runtime.OperatorHttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What Prometheus' scrape of {@code /metrics} costs: the operator's own HTTP endpoint over the
 * registry, fetched {@link #TIMES} times from first byte asked to last byte read, and the series it
 * serves (non-comment lines).
 */
record Scrape(
    double medianMillis, double maxMillis, long series, long bytes, List<String> largestFamilies) {
  static final int TIMES = 7;
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  static Scrape time(PrometheusMeterRegistry registry) throws IOException, InterruptedException {
    double[] millis = new double[TIMES];
    String text = "";
    try (var server = OperatorHttpServer.start(0, () -> true, registry)) {
      var client = HttpClient.newHttpClient();
      var request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
              .timeout(TIMEOUT)
              .build();
      for (int i = 0; i < TIMES; i++) {
        long started = System.nanoTime();
        text = client.send(request, HttpResponse.BodyHandlers.ofString()).body();
        millis[i] = (System.nanoTime() - started) / 1e6;
      }
    }
    Arrays.sort(millis);
    var samples = text.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    var byFamily =
        samples.stream()
            .collect(Collectors.groupingBy(l -> l.replaceAll("[{ ].*", ""), Collectors.counting()));
    var largest =
        byFamily.entrySet().stream()
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .limit(6)
            .map(e -> e.getKey() + " " + e.getValue())
            .toList();
    return new Scrape(
        millis[TIMES / 2],
        millis[TIMES - 1],
        samples.size(),
        text.getBytes(StandardCharsets.UTF_8).length,
        largest);
  }
}
