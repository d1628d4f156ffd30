package dev.lumen.monitoring;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Writes {@link LumenFigures} on a thread of its own, so no reconcile waits for Cloud Monitoring:
 * every few seconds of real time it writes the projects whose interval is over by the operator's
 * clock.
 */
public final class FigureFlusher implements AutoCloseable {
  static final Duration TICK = Duration.ofSeconds(5);

  private final ScheduledExecutorService executor;

  public FigureFlusher(LumenFigures figures, Clock clock) {
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lumen-figures");
              t.setDaemon(true);
              return t;
            });
    // A failing write is logged by the figures; nothing thrown may end the schedule.
    executor.scheduleWithFixedDelay(
        () -> {
          try {
            figures.flushDue(clock.instant());
          } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(FigureFlusher.class)
                .warn("Writing Lumen's figures failed: {}", e.toString());
          }
        },
        TICK.toMillis(),
        TICK.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
