package dev.lumen.ports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.clock.VirtualClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackendsTest {
  final VirtualClock clock = new VirtualClock(Instant.parse("2026-12-05T12:00:00Z"));
  final List<InMemoryCacheStore> made = new ArrayList<>();

  @Test
  void aClientPerAddressIsKeptWhileUsedAndClosedOnceUnusedForLong() {
    var backends =
        new Backends(
            new FakeCloudRun(),
            new FakeMetrics(),
            url -> {
              var cache = new InMemoryCacheStore();
              made.add(cache);
              return cache;
            },
            Backends.noPrometheus(),
            clock);
    URI old = URI.create("redis://old:6379");
    URI kept = URI.create("redis://kept:6379");
    backends.redis(old);
    for (int minute = 0; minute <= 20; minute++) {
      backends.redis(kept);
      clock.set(clock.instant().plus(Duration.ofMinutes(1)));
    }

    assertThat(backends.clientsPerAddress()).isEqualTo(1);
    assertThat(made).hasSize(2);
    assertThat(made.get(0).isClosed()).isTrue();
    assertThat(made.get(1).isClosed()).isFalse();
    assertThat(backends.redis(kept)).isSameAs(made.get(1));
  }
}
