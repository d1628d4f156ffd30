package dev.lumen.bulkhead;

import dev.lumen.ports.CacheStore;
import dev.lumen.ports.MetricSource;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link Bulkhead} per endpoint (scheme, host and port), shared by every client of it, and the
 * ports wrapped in it.
 */
public final class Bulkheads {
  /** Calls to one endpoint at once: enough for a healthy endpoint shared by many resources. */
  public static final int PERMITS = 2;

  /** How long a call waits for a permit before it gives up. */
  public static final Duration WAIT = Duration.ofMillis(500);

  /** How long an endpoint whose call failed slowly is skipped. */
  public static final Duration SKIP = Duration.ofSeconds(30);

  private final Duration deadline;
  private final Clock clock;
  private final Map<String, Bulkhead> byEndpoint = new ConcurrentHashMap<>();

  /**
   * @param deadline the calls' deadline; a failure that took half of it counts as slow
   */
  public Bulkheads(Duration deadline, Clock clock) {
    this.deadline = deadline;
    this.clock = clock;
  }

  public MetricSource metrics(URI url, MetricSource source) {
    return new BulkheadMetricSource(source, of("Prometheus", url));
  }

  public CacheStore cache(URI url, CacheStore store) {
    return new BulkheadCacheStore(store, of("Redis", url));
  }

  Bulkhead of(String what, URI url) {
    String endpoint = url.getScheme() + "://" + url.getHost() + ":" + url.getPort();
    return byEndpoint.computeIfAbsent(
        endpoint,
        e ->
            new Bulkhead(
                what + " at " + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()),
                PERMITS,
                WAIT,
                deadline.dividedBy(2),
                SKIP,
                clock));
  }
}
