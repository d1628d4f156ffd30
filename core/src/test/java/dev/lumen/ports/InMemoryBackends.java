package dev.lumen.ports;

/** The ports' in-memory fakes as the operator's backends, for reconciler tests. */
public final class InMemoryBackends {
  private InMemoryBackends() {}

  public static Backends of(FakeCloudRun cloudRun, FakeMetrics metrics, InMemoryCacheStore cache) {
    FakeMetrics prometheus = new FakeMetrics();
    return new Backends(cloudRun, metrics, url -> cache, url -> prometheus);
  }
}
