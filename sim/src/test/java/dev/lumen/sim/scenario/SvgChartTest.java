package dev.lumen.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SvgChartTest {
  static final Instant START = Instant.parse("2026-03-02T10:00:00Z");

  static SvgChart latency(double limitMillis) {
    List<SvgChart.Point> points = new ArrayList<>();
    for (int m = 0; m < 30; m++) {
      points.add(new SvgChart.Point(START.plus(Duration.ofMinutes(m)), 150 + m * 4.2));
    }
    return new SvgChart("p95", "p95 latency", "ms", START, START.plus(Duration.ofMinutes(30)))
        .line("web-001", points, false)
        .limit("maxLatencyP95 " + (long) limitMillis + " ms", limitMillis);
  }

  @Test
  void aLimitFarAboveTheDataDoesNotSquashItFlat() {
    String svg = latency(20_000).render();

    assertThat(svg)
        .as("the axis follows the 150-272 ms series, not the 20 s limit")
        .contains(">500 ms</text>")
        .doesNotContain(">25000 ms</text>")
        .contains("maxLatencyP95 20000 ms (above the chart)")
        .doesNotContain("class=\"limit\"");
  }

  @Test
  void aLimitNearTheDataIsDrawnWhereItIs() {
    String svg = latency(400).render();

    assertThat(svg).contains("class=\"limit\"").doesNotContain("above the chart");
  }
}
