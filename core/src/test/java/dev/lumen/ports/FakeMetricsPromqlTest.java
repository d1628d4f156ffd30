package dev.lumen.ports;

import java.time.Instant;
import java.util.Map;

class FakeMetricsPromqlTest extends PromqlContract {
  static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
  private final FakeMetrics port = new FakeMetrics();

  FakeMetricsPromqlTest() {
    for (int s = 60; s >= 0; s--) {
      port.record(
          new FakeMetrics.PromqlPoint("shop", "phase_diff", Map.of(), NOW.minusSeconds(s), 0.42));
      port.record(
          new FakeMetrics.PromqlPoint(
              "shop", "requests", Map.of("code", "200"), NOW.minusSeconds(s), 10));
      port.record(
          new FakeMetrics.PromqlPoint(
              "shop", "requests", Map.of("code", "500"), NOW.minusSeconds(s), 1));
    }
    port.failPromql("sum(", PortException.permanentFailure("parse error", null));
  }

  @Override
  protected Instant now() {
    return NOW;
  }

  @Override
  protected MetricSource port() {
    return port;
  }

  @Override
  protected String singleSeriesQuery() {
    return "phase_diff";
  }

  @Override
  protected double singleSeriesValue() {
    return 0.42;
  }

  @Override
  protected String multiSeriesQuery() {
    return "requests";
  }

  @Override
  protected String malformedQuery() {
    return "sum(";
  }

  @Override
  protected MetricSource unreachable() {
    var down = new FakeMetrics();
    down.failPromql("phase_diff", PortException.transientFailure("unreachable", null));
    return down;
  }
}
