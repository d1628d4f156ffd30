package dev.lumen.tenancy;

import dev.lumen.ports.MetricSource;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One view of Cloud Monitoring per Google identity Lumen acts as. Reads are batched and shared per
 * source object (a project's services in one request), so giving each identity its own object keeps
 * a read made as team A's account from serving team B's resources, and the other way round. The
 * views hold nothing: the call on the caller's thread takes its identity from {@link Caller}.
 */
public final class MonitoringPerIdentity implements Supplier<MetricSource> {
  private final MetricSource operatorsOwn;
  private final Map<String, MetricSource> views = new ConcurrentHashMap<>();

  public MonitoringPerIdentity(MetricSource operatorsOwn) {
    this.operatorsOwn = operatorsOwn;
  }

  /** The view for the identity of the resource reconciled on this thread. */
  @Override
  public MetricSource get() {
    Optional<String> account = Caller.current().flatMap(Caller::googleServiceAccount);
    return account.isEmpty()
        ? operatorsOwn
        : views.computeIfAbsent(account.get(), a -> new View(operatorsOwn));
  }

  /** A distinct object over the same client; closing it leaves the client to its owner. */
  private static final class View implements MetricSource {
    private final MetricSource client;

    View(MetricSource client) {
      this.client = client;
    }

    @Override
    public Map<RevisionKey, RevisionMetrics> read(MetricRequest request) {
      return client.read(request);
    }

    @Override
    public Map<RevisionKey, java.util.NavigableMap<Instant, RevisionMetrics>> readMinutes(
        MetricRequest request) {
      return client.readMinutes(request);
    }

    @Override
    public Map<String, Double> memorystoreHitRatios(
        String project, Set<String> instanceIds, Instant start, Instant end) {
      return client.memorystoreHitRatios(project, instanceIds, start, end);
    }

    @Override
    public java.util.List<dev.lumen.engine.measure.Sample> customSeries(
        String project, dev.lumen.ports.CustomSeriesQuery query, Instant start, Instant end) {
      return client.customSeries(project, query, start, end);
    }

    @Override
    public java.util.List<dev.lumen.engine.measure.Sample> promqlSeries(
        String project, String query, Instant start, Instant end, java.time.Duration step) {
      return client.promqlSeries(project, query, start, end, step);
    }

    @Override
    public void close() {}
  }
}
