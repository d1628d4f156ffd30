package dev.lumen.ports;

import dev.lumen.engine.measure.Sample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

class FakeCustomQueriesTest extends CustomQuerySourceContract {
  static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
  private final FakeCustomQueries port = new FakeCustomQueries();

  FakeCustomQueriesTest() {
    List<Sample> samples = new ArrayList<>();
    for (int s = 60; s >= 0; s--) {
      samples.add(new Sample(NOW.minusSeconds(s), 0.42));
    }
    port.answer("phase_diff", samples);
    port.fail(
        "requests",
        PortException.permanentFailure("query \"requests\" returns 2 series; aggregate it", null));
    port.fail("sum(", PortException.permanentFailure("parse error", null));
  }

  @Override
  protected Instant now() {
    return NOW;
  }

  @Override
  protected CustomQuerySource port() {
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
  protected CustomQuerySource unreachable() {
    var down = new FakeCustomQueries();
    down.fail("phase_diff", PortException.transientFailure("unreachable", null));
    return down;
  }
}
