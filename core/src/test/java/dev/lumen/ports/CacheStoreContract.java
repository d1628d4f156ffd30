package dev.lumen.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lumen.engine.measure.CacheCounterWindow;
import dev.lumen.engine.measure.CacheCounts;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every CacheStore must do; run against the in-memory fake and against real Redis. */
public abstract class CacheStoreContract {
  protected abstract CacheStore store();

  /** Makes the cache serve {@code hits} hits and {@code misses} misses. */
  protected abstract void lookups(long hits, long misses);

  /** Restarts the cache server; its counters start over. */
  protected abstract void restart();

  protected abstract void makeUnreachable();

  protected abstract void makeReachable();

  @Test
  void aTtlIsEmptyUntilPublishedAndReadsBackInWholeSeconds() {
    assertThat(store().ttl("contract:ttl:absent")).isEmpty();

    store().setTtl("contract:ttl:web", Duration.ofMillis(450_700));

    assertThat(store().ttl("contract:ttl:web")).contains(Duration.ofSeconds(450));
  }

  @Test
  void countersCountLookups() {
    CacheStore.CacheCounters before = store().counters();
    lookups(7, 3);
    CacheStore.CacheCounters after = store().counters();

    CacheCounts window = CacheCounterWindow.between(List.of(reading(before), reading(after)));
    assertThat(window).isEqualTo(new CacheCounts(7, 3));
  }

  @Test
  void aRestartStartsTheCountersOverAndTheWindowSurvivesIt() {
    lookups(5, 5);
    CacheStore.CacheCounters before = store().counters();
    restart();
    lookups(4, 1);
    CacheStore.CacheCounters after = store().counters();

    assertThat(after.serverRunId()).isNotEqualTo(before.serverRunId());
    assertThat(CacheCounterWindow.between(List.of(reading(before), reading(after))))
        .isEqualTo(new CacheCounts(4, 1));
  }

  @Test
  void anUnreachableCacheIsATransientFailure() {
    makeUnreachable();
    try {
      assertThatThrownBy(() -> store().counters())
          .isInstanceOf(PortException.class)
          .matches(e -> ((PortException) e).isTransient());
      assertThatThrownBy(() -> store().setTtl("contract:ttl:web", Duration.ofMinutes(5)))
          .isInstanceOf(PortException.class);
    } finally {
      makeReachable();
    }
    assertThat(store().counters()).isNotNull();
  }

  private static CacheCounterWindow.Reading reading(CacheStore.CacheCounters c) {
    return new CacheCounterWindow.Reading(c.hits(), c.misses(), c.serverRunId());
  }
}
