package dev.lumen.quota;

import com.google.common.util.concurrent.RateLimiter;
import dev.lumen.ports.PortException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
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
 */
public final class CallQuota {
  private final String api;
  private final int callsPerMinute;
  private final Duration maxWait;
  private final Map<String, RateLimiter> perProject = new ConcurrentHashMap<>();
  private final MeterRegistry registry;

  public CallQuota(String api, int callsPerMinute, Duration maxWait, MeterRegistry registry) {
    if (callsPerMinute < 1) {
      throw new IllegalArgumentException(api + ": the call quota must be at least 1 a minute");
    }
    this.api = api;
    this.callsPerMinute = callsPerMinute;
    this.maxWait = maxWait;
    this.registry = registry;
  }

  /** Takes one call of {@code project}'s quota, waiting for it at most the configured time. */
  public void spend(String project) {
    RateLimiter limiter =
        perProject.computeIfAbsent(project, p -> RateLimiter.create(callsPerMinute / 61.0));
    if (!limiter.tryAcquire(maxWait.toMillis(), TimeUnit.MILLISECONDS)) {
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
