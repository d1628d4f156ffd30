package dev.lumen.quota;

import com.google.common.util.concurrent.RateLimiter;
import dev.lumen.ports.PortException;
import dev.lumen.tenancy.Caller;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * At most {@code callsPerMinute} calls of one Google API in any minute, per project. A call that
 * finds the quota spent waits for its turn up to {@code maxWait}, then fails as a transient {@link
 * PortException}: the resource reports a gap in what it observed, and no decision is made on the
 * data it did not get.
 *
 * <p>The permits are Guava's smooth rate, refilled continuously at {@code callsPerMinute / 61} a
 * second: with the one second of unused permits it may hold, no 60-second window sees more than
 * {@code callsPerMinute} calls.
 *
 * <p>Calls made for a namespace's resource (see {@link Caller}) also spend that namespace's share
 * of the project's quota first, so one namespace cannot spend what the others need.
 */
public final class CallQuota {
  private final String api;
  private final int callsPerMinute;
  private final Duration maxWait;
  private final int namespaceCallsPerMinute;
  private final Limiters limiters;
  private final Map<String, Limiter> perProject = new ConcurrentHashMap<>();
  private final Map<String, Limiter> perNamespaceAndProject = new ConcurrentHashMap<>();
  private final MeterRegistry registry;

  /** Takes one call within a rate, waiting for it at most a given time. */
  interface Limiter {
    boolean tryAcquire(Duration maxWait);
  }

  /** Makes a limiter of a number of calls a minute. */
  interface Limiters {
    Limiter perMinute(int callsPerMinute);

    /** Guava's smooth rate (see the class comment). */
    Limiters GUAVA =
        callsPerMinute -> {
          RateLimiter rate = RateLimiter.create(callsPerMinute / 61.0);
          return maxWait -> rate.tryAcquire(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        };
  }

  public CallQuota(String api, int callsPerMinute, Duration maxWait, MeterRegistry registry) {
    this(api, callsPerMinute, callsPerMinute, maxWait, registry, Limiters.GUAVA);
  }

  /**
   * @param namespaceCallsPerMinute the most one namespace's resources may spend of a project's
   *     {@code callsPerMinute}
   */
  public CallQuota(
      String api,
      int callsPerMinute,
      int namespaceCallsPerMinute,
      Duration maxWait,
      MeterRegistry registry) {
    this(api, callsPerMinute, namespaceCallsPerMinute, maxWait, registry, Limiters.GUAVA);
  }

  CallQuota(
      String api,
      int callsPerMinute,
      int namespaceCallsPerMinute,
      Duration maxWait,
      MeterRegistry registry,
      Limiters limiters) {
    if (callsPerMinute < 1 || namespaceCallsPerMinute < 1) {
      throw new IllegalArgumentException(api + ": the call quota must be at least 1 a minute");
    }
    this.api = api;
    this.callsPerMinute = callsPerMinute;
    this.namespaceCallsPerMinute = Math.min(namespaceCallsPerMinute, callsPerMinute);
    this.limiters = limiters;
    this.maxWait = maxWait;
    this.registry = registry;
  }

  /** Takes one call of {@code project}'s quota, waiting for it at most the configured time. */
  public void spend(String project) {
    Optional<String> namespace = Caller.current().map(Caller::namespace);
    if (namespace.isPresent() && namespaceCallsPerMinute < callsPerMinute) {
      Limiter share =
          perNamespaceAndProject.computeIfAbsent(
              namespace.get() + "/" + project, k -> limiters.perMinute(namespaceCallsPerMinute));
      if (!share.tryAcquire(maxWait)) {
        exhausted(project).increment();
        throw PortException.transientFailure(
            api
                + " calls of namespace "
                + namespace.get()
                + " for project "
                + project
                + " reached its share of "
                + namespaceCallsPerMinute
                + " a minute; the call waits for the next evaluation",
            null);
      }
    }
    Limiter limiter = perProject.computeIfAbsent(project, p -> limiters.perMinute(callsPerMinute));
    if (!limiter.tryAcquire(maxWait)) {
      exhausted(project).increment();
      throw PortException.transientFailure(
          api
              + " quota of "
              + callsPerMinute
              + " calls a minute for project "
              + project
              + " is spent; the call waits for the next evaluation",
          null);
    }
  }

  public int callsPerMinute() {
    return callsPerMinute;
  }

  private Counter exhausted(String project) {
    return Counter.builder("lumen.google.quota.exhausted")
        .description(
            "Google API calls not made because the operator's quota for the project was spent")
        .tag("api", api)
        .tag("project", project)
        .register(registry);
  }
}
