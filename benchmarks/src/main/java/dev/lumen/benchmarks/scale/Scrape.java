package dev.lumen.benchmarks.scale;

import dev.lumen.runtime.OperatorHttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
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

  private static void fetch(URL url, OutputStream to) throws IOException {
    var connection = (HttpURLConnection) url.openConnection();
    connection.setReadTimeout((int) TIMEOUT.toMillis());
    try (InputStream in = connection.getInputStream()) {
      in.transferTo(to);
    }
  }

  static Scrape time(PrometheusMeterRegistry registry) throws IOException {
    double[] millis = new double[TIMES];
    byte[] body = new byte[0];
    try (var server = OperatorHttpServer.start(0, () -> true, registry)) {
      URL url = URI.create("http://127.0.0.1:" + server.port() + "/metrics").toURL();
      for (int i = 0; i < TIMES; i++) {
        long started = System.nanoTime();
        // Read as it arrives and dropped, as Prometheus does in a process of its own: holding
        // 37 MB here would load the operator's heap, which this JVM shares.
        fetch(url, OutputStream.nullOutputStream());
        millis[i] = (System.nanoTime() - started) / 1e6;
      }
      var whole = new ByteArrayOutputStream();
      fetch(url, whole);
      body = whole.toByteArray();
    }
    String text = new String(body, StandardCharsets.UTF_8);
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
    return new Scrape(millis[TIMES / 2], millis[TIMES - 1], samples.size(), body.length, largest);
  }
}
