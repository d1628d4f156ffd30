package dev.lumen.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lumen.clock.VirtualClock;
import dev.lumen.ports.PortException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BulkheadTest {
  final VirtualClock clock = new VirtualClock(Instant.parse("2026-12-05T12:00:00Z"));
  final Bulkhead bulkhead =
      new Bulkhead(
          "Prometheus at slow:9090",
          2,
          Duration.ofMillis(100),
          Duration.ofMillis(200),
          Duration.ofSeconds(30),
          clock);
  final ExecutorService threads = Executors.newCachedThreadPool();
  final CountDownLatch hang = new CountDownLatch(1);

  @AfterEach
  void release() {
    hang.countDown();
    threads.shutdownNow();
  }

  @Test
  void aHangingEndpointHoldsAtMostItsPermitsAndFurtherCallsGiveUpQuickly() throws Exception {
    var started = new CountDownLatch(2);
    for (int i = 0; i < 2; i++) {
      threads.submit(
          () ->
              bulkhead.call(
                  () -> {
                    started.countDown();
                    await(hang);
                    return 1;
                  }));
    }
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

    long before = System.nanoTime();
    assertThatThrownBy(() -> bulkhead.call(() -> 1))
        .isInstanceOf(PortException.class)
        .hasMessageContaining("Prometheus at slow:9090 is busy")
        .satisfies(e -> assertThat(((PortException) e).isTransient()).isTrue());
    assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(1));

    hang.countDown();
    Thread.sleep(50);
    assertThat(bulkhead.call(() -> 7)).isEqualTo(7);
  }

  @Test
  void afterASlowFailureTheEndpointIsSkippedForAWhile() {
    assertThatThrownBy(
            () ->
                bulkhead.call(
                    () -> {
                      sleep(250);
                      throw PortException.transientFailure("did not answer within 250ms", null);
                    }))
        .hasMessageContaining("did not answer");

    assertThatThrownBy(() -> bulkhead.call(() -> 1))
        .hasMessageContaining("failed slowly; not called again before 2026-12-05T12:00:30Z");

    clock.set(clock.instant().plusSeconds(31));
    assertThat(bulkhead.call(() -> 1)).isEqualTo(1);
  }

  @Test
  void aQuickFailureDoesNotSkipTheEndpoint() {
    assertThatThrownBy(
            () ->
                bulkhead.call(
                    () -> {
                      throw PortException.permanentFailure("bad query", null);
                    }))
        .hasMessage("bad query");

    assertThat(bulkhead.call(() -> 1)).isEqualTo(1);
  }

  static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
