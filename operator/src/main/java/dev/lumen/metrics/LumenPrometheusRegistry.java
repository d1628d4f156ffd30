package dev.lumen.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

/**
 * The operator's Prometheus registry: Micrometer's meters, then the per-resource gauges {@link
 * LumenMetrics} keeps already rendered ({@link ResourceGauges}). Every scrape method of the
 * registry ends in one of the two it overrides.
 */
public final class LumenPrometheusRegistry extends PrometheusMeterRegistry {
  private static final byte[] OPENMETRICS_END = "# EOF\n".getBytes(StandardCharsets.UTF_8);

  private final ResourceGauges resourceGauges = new ResourceGauges();

  public LumenPrometheusRegistry() {
    super(PrometheusConfig.DEFAULT);
  }

  ResourceGauges resourceGauges() {
    return resourceGauges;
  }

  @Override
  public void scrape(OutputStream out, String contentType) throws IOException {
    write(out, contentType, null);
  }

  @Override
  public void scrape(OutputStream out, String contentType, Set<String> includedNames)
      throws IOException {
    write(out, contentType, includedNames);
  }

  private void write(OutputStream out, String contentType, Set<String> includedNames)
      throws IOException {
    if (contentType == null || !contentType.contains("openmetrics")) {
      meters(out, contentType, includedNames);
      resourceGauges.writeTo(out, includedNames);
      return;
    }
    // OpenMetrics ends with "# EOF": the gauges go before it.
    var meters = new ByteArrayOutputStream();
    meters(meters, contentType, includedNames);
    byte[] bytes = meters.toByteArray();
    int end = bytes.length;
    if (end >= OPENMETRICS_END.length
        && Arrays.equals(
            bytes, end - OPENMETRICS_END.length, end, OPENMETRICS_END, 0, OPENMETRICS_END.length)) {
      end -= OPENMETRICS_END.length;
    }
    out.write(bytes, 0, end);
    resourceGauges.writeTo(out, includedNames);
    out.write(OPENMETRICS_END);
  }

  private void meters(OutputStream out, String contentType, Set<String> includedNames)
      throws IOException {
    if (includedNames == null) {
      super.scrape(out, contentType);
    } else {
      super.scrape(out, contentType, includedNames);
    }
  }
}
