package dev.lumen.ports;

class FakeMetricsTest extends MetricSourceContract {
  private final FakeMetrics state = new FakeMetrics();

  @Override
  protected FakeMetrics state() {
    return state;
  }

  @Override
  protected MetricSource port() {
    return state;
  }
}
