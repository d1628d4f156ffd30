package dev.lumen.testkit.google;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault injection and call counting for a loopback fake of a Google API: the next calls of a method
 * can fail with a status or be slowed down, and every call is counted by method name.
 */
public final class GrpcFaults {
  private final Map<String, Deque<Status.Code>> failures = new ConcurrentHashMap<>();
  private final Map<String, Duration> delays = new ConcurrentHashMap<>();
  private final Map<String, Status.Code> outages = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

  /** The next {@code times} calls of {@code method} fail with {@code code}. */
  public void failNext(String method, Status.Code code, int times) {
    var queue = failures.computeIfAbsent(method, m -> new ArrayDeque<>());
    synchronized (queue) {
      for (int i = 0; i < times; i++) {
        queue.add(code);
      }
    }
  }

  /** Every call of {@code method} fails with {@code code} until {@link #recover}. */
  public void failAlways(String method, Status.Code code) {
    outages.put(method, code);
  }

  public void recover(String method) {
    outages.remove(method);
  }

  /** Every call of {@code method} takes {@code delay} longer (zero to stop). */
  public void delay(String method, Duration delay) {
    delays.put(method, delay);
  }

  public int calls(String method) {
    return calls.getOrDefault(method, new AtomicInteger()).get();
  }

  public void resetCounts() {
    calls.clear();
  }

  /** Counts the call, then sleeps or fails as configured. */
  void enter(String method) {
    calls.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
    Duration delay = delays.getOrDefault(method, Duration.ZERO);
    if (!delay.isZero()) {
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Status.Code outage = outages.get(method);
    if (outage != null) {
      throw new StatusRuntimeException(Status.fromCode(outage).withDescription("injected outage"));
    }
    var queue = failures.get(method);
    if (queue != null) {
      Status.Code code;
      synchronized (queue) {
        code = queue.poll();
      }
      if (code != null) {
        throw new StatusRuntimeException(Status.fromCode(code).withDescription("injected fault"));
      }
    }
  }
}
