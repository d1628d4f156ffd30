package dev.lumen.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends notifications off the reconcile thread, each tried a bounded number of times with a
 * doubling pause; one that still fails is dropped, logged and counted. Nothing waits for it.
 */
public final class Dispatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  /** A send that may fail. */
  @FunctionalInterface
  public interface Send {
    void run() throws IOException;
  }

  private final ScheduledExecutorService executor;
  private final int attempts;
  private final Duration firstPause;
  private final MeterRegistry registry;

  public Dispatcher(int attempts, Duration firstPause, MeterRegistry registry) {
    this.attempts = attempts;
    this.firstPause = firstPause;
    this.registry = registry;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lumen-notify");
              t.setDaemon(true);
              return t;
            });
  }

  /** Queues {@code send} on {@code channel} (slack, alertmanager) about {@code what}. */
  public void submit(String channel, String what, Send send) {
    executor.execute(() -> attempt(channel, what, send, 1));
  }

  private void attempt(String channel, String what, Send send, int attempt) {
    try {
      send.run();
      counter(channel, "sent").increment();
    } catch (IOException | RuntimeException e) {
      if (attempt < attempts) {
        long pause = firstPause.toMillis() << (attempt - 1);
        executor.schedule(
            () -> attempt(channel, what, send, attempt + 1), pause, TimeUnit.MILLISECONDS);
        return;
      }
      counter(channel, "failed").increment();
      LOG.warn(
          "Gave up sending {} to {} after {} attempts: {}",
          what,
          channel,
          attempts,
          // Connection failures often carry no message; their type says what went wrong.
          e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
    }
  }

  private Counter counter(String channel, String result) {
    return Counter.builder("lumen.notifications")
        .description("Notifications sent or given up on, by channel")
        .tag("channel", channel)
        .tag("result", result)
        .register(registry);
  }

  @Override
  public void close() {
    executor.shutdown();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
