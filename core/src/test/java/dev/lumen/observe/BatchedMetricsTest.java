package dev.lumen.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lumen.clock.VirtualClock;
import dev.lumen.engine.measure.RequestCounts;
import dev.lumen.ports.FakeMetrics;
import dev.lumen.ports.MetricSource;
import dev.lumen.ports.PortException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BatchedMetricsTest {
  static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");

  /** The operator's default data delay: minutes are complete when read. */
  static final Duration DELAY = Duration.ofMinutes(3);

  /** A Cloud Run metric source without Memorystore. */
  abstract static class RunMetrics implements MetricSource {
    @Override
    public Map<String, Double> memorystoreHitRatios(
        String project, Set<String> instanceIds, Instant start, Instant end) {
      return Map.of();
    }

    @Override
    public java.util.List<dev.lumen.engine.measure.Sample> customSeries(
        String project, dev.lumen.ports.CustomSeriesQuery query, Instant start, Instant end) {
      throw new UnsupportedOperationException();
    }

    @Override
    public java.util.List<dev.lumen.engine.measure.Sample> promqlSeries(
        String project, String query, Instant start, Instant end, java.time.Duration step) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
  }

  /** Fails its first read, then answers with nothing. */
  static final class FlakySource extends RunMetrics {
    final AtomicInteger reads = new AtomicInteger();

    @Override
    public Map<RevisionKey, RevisionMetrics> read(MetricRequest request) {
      if (reads.incrementAndGet() == 1) {
        throw PortException.transientFailure("UNAVAILABLE", null);
      }
      return Map.of();
    }
  }

  @Test
  void aFailedReadStandsForOneCycleThenTheSameWindowIsReadAgain() {
    var clock = new VirtualClock(NOW);
    var source = new FlakySource();
    var batched = new BatchedMetrics(clock);
    var scope = new BatchedMetrics.Scope(source, "shop-prod");
    batched.watch("a", scope, "checkout");
    batched.watch("b", scope, "cart");
    // A month's usage: the same window for the whole hour.
    var window = new Window(NOW.minus(Duration.ofDays(1)), NOW.minus(Duration.ofMinutes(3)));
    var kinds = EnumSet.of(MetricSource.MetricKind.REQUESTS);

    assertThatThrownBy(() -> batched.read(scope, "checkout", window, kinds))
        .isInstanceOf(PortException.class);
    assertThatThrownBy(() -> batched.read(scope, "cart", window, kinds))
        .as("the other reconciles of the cycle share the failure")
        .isInstanceOf(PortException.class);
    assertThat(source.reads).hasValue(1);

    clock.set(NOW.plus(BatchedMetrics.FAILURE_KEPT));
    assertThat(batched.read(scope, "cart", window, kinds)).isEmpty();
    assertThat(batched.read(scope, "checkout", window, kinds)).isEmpty();
    assertThat(source.reads).as("one new read for the project, then shared").hasValue(2);
  }

  /**
   * After a start every resource is announced before the first is evaluated: a long window is read
   * once for the project however many resources are evaluated after that read. Without the
   * announcement each resource missing from the read in hand made one of its own (100 reads here).
   */
  @Test
  void servicesAnnouncedAtAStartAreReadWithTheFirstResourceEvaluated() {
    var source = new CountingSource(new FakeMetrics());
    var batched = new BatchedMetrics(new VirtualClock(NOW));
    var scope = new BatchedMetrics.Scope(source, "shop-prod");
    for (int i = 0; i < 100; i++) {
      batched.expect("SLOTarget/shop/s" + i, "shop-prod", "s" + i);
    }
    batched.expect("SLOTarget/other/x", "other-project", "x");
    var window = new Window(NOW.minus(Duration.ofDays(28)), NOW.minus(DELAY));
    var kinds = EnumSet.of(MetricSource.MetricKind.REQUESTS);

    for (int i = 0; i < 100; i++) {
      batched.watch("SLOTarget/shop/s" + i, scope, "s" + i);
      batched.read(scope, "s" + i, window, kinds);
    }

    assertThat(source.reads()).isEqualTo(1);
    assertThat(source.services).as("the other project's service is not read here").hasSize(100);
  }

  /** A resource announced but never evaluated (its spec is invalid) leaves the reads in time. */
  @Test
  void anAnnouncedServiceNeverEvaluatedLeavesTheReadsAfterAWhile() {
    var clock = new VirtualClock(NOW);
    var source = new CountingSource(new FakeMetrics());
    var batched = new BatchedMetrics(clock);
    var scope = new BatchedMetrics.Scope(source, "shop-prod");
    batched.expect("SLOTarget/shop/broken", "shop-prod", "broken");
    batched.watch("SLOTarget/shop/a", scope, "a");
    var kinds = EnumSet.of(MetricSource.MetricKind.REQUESTS);

    batched.read(scope, "a", new Window(NOW.minus(Duration.ofDays(28)), NOW), kinds);
    assertThat(source.services).containsExactlyInAnyOrder("a", "broken");

    clock.set(NOW.plus(BatchedMetrics.EXPECTED_FOR).plusSeconds(1));
    source.services.clear();
    Instant later = clock.instant();
    batched.read(scope, "a", new Window(later.minus(Duration.ofDays(28)), later), kinds);
    assertThat(source.services).containsExactly("a");
  }

  /** Counts the reads that reach {@code inner}, by window length. */
  static final class CountingSource extends RunMetrics {
    final MetricSource inner;
    final Map<Duration, AtomicInteger> reads = new java.util.concurrent.ConcurrentHashMap<>();
    final Set<String> services = java.util.concurrent.ConcurrentHashMap.newKeySet();

    CountingSource(MetricSource inner) {
      this.inner = inner;
    }

    int reads() {
      return reads.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    @Override
    public Map<RevisionKey, RevisionMetrics> read(MetricRequest request) {
      reads
          .computeIfAbsent(
              Duration.between(request.start(), request.end()), d -> new AtomicInteger())
          .incrementAndGet();
      services.addAll(request.services());
      return inner.read(request);
    }
  }

  /**
   * Two services of one project, each evaluated every minute over 5m, 15m, 30m and 1h on three
   * kinds: once an hour of minutes is kept, the project costs one read per kind a minute, and every
   * window adds up to exactly what reading it whole returns.
   */
  @Test
  void shortWindowsAreAddedUpFromOneReadPerKindAMinute() {
    var world = new FakeMetrics();
    var source = new CountingSource(world);
    var clock = new VirtualClock(NOW);
    var batched = new BatchedMetrics(clock);
    var scope = new BatchedMetrics.Scope(source, "shop-prod");
    batched.watch("a", scope, "checkout");
    batched.watch("b", scope, "cart");
    var kinds =
        EnumSet.of(
            MetricSource.MetricKind.REQUESTS,
            MetricSource.MetricKind.LATENCIES,
            MetricSource.MetricKind.STARTUPS);
    var lengths = List.of(5, 15, 30, 60);
    int readsBefore = 0;
    for (int minute = 0; minute < 80; minute++) {
      Instant end = NOW.plus(Duration.ofMinutes(minute));
      for (String service : List.of("checkout", "cart")) {
        long[] latency = new long[FakeMetrics.LATENCY_BOUNDS.length + 1];
        latency[minute % 7] = 10 + minute;
        world.record(
            new FakeMetrics.Point(
                "shop-prod",
                "europe-west1",
                service,
                service + "-00001",
                end.minusSeconds(1),
                new RequestCounts(100 + minute, 0, minute % 3),
                latency,
                60,
                1,
                1));
      }
      clock.set(end);
      if (minute == 70) {
        readsBefore = source.reads();
      }
      for (String service : List.of("checkout", "cart")) {
        for (int length : lengths) {
          var window = Window.trailing(end, DELAY, Duration.ofMinutes(length));
          var summed = batched.read(scope, service, window, kinds);
          var whole =
              world.read(
                  new MetricSource.MetricRequest(
                      "shop-prod", Set.of(service), window.start(), window.end(), kinds));
          assertThat(summed)
              .as(service + " over " + length + "m at minute " + minute)
              .usingRecursiveComparison()
              .isEqualTo(whole);
        }
      }
    }
    assertThat(source.reads() - readsBefore)
        .as("minutes 70 to 79: three kinds, one read each a minute")
        .isEqualTo(10 * 3);
  }

  /** Counts its calls, and reads every minute of a window in one call as Cloud Monitoring does. */
  static final class MinutesInOneCall extends RunMetrics {
    final FakeMetrics world;
    final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger minuteReads = new AtomicInteger();

    MinutesInOneCall(FakeMetrics world) {
      this.world = world;
    }

    @Override
    public Map<RevisionKey, RevisionMetrics> read(MetricRequest request) {
      reads.incrementAndGet();
      return world.read(request);
    }

    @Override
    public Map<RevisionKey, java.util.NavigableMap<Instant, RevisionMetrics>> readMinutes(
        MetricRequest request) {
      minuteReads.incrementAndGet();
      return world.readMinutes(request);
    }
  }

  /** A minute of 100 requests of {@code service} ending at {@code end}, 2 of them failed. */
  static void minute(FakeMetrics world, String service, Instant end) {
    long[] latency = new long[FakeMetrics.LATENCY_BOUNDS.length + 1];
    latency[3] = 100;
    world.record(
        new FakeMetrics.Point(
            "shop-prod",
            "europe-west1",
            service,
            service + "-00001",
            end.minusSeconds(1),
            new RequestCounts(100, 2, 0),
            latency,
            60,
            1,
            1));
  }

  /**
   * After a start the ledger is empty: the first evaluations fill it with one call per kind for the
   * last hour, and from then on the project costs one read per kind a minute, as in steady state,
   * instead of reading every window whole for an hour.
   */
  @Test
  void afterAStartAnHourOfMinutesIsReadInOneCallPerKind() {
    var world = new FakeMetrics();
    var source = new MinutesInOneCall(world);
    var clock = new VirtualClock(NOW);
    var batched = new BatchedMetrics(clock);
    var scope = new BatchedMetrics.Scope(source, "shop-prod");
    var services = List.of("checkout", "cart", "search");
    services.forEach(s -> batched.watch(s, scope, s));
    for (int minute = -120; minute < 10; minute++) {
      for (String service : services) {
        minute(world, service, NOW.plus(Duration.ofMinutes(minute)));
      }
    }
    var kinds = EnumSet.of(MetricSource.MetricKind.REQUESTS, MetricSource.MetricKind.LATENCIES);

    for (int minute = 0; minute < 10; minute++) {
      Instant now = NOW.plus(Duration.ofMinutes(minute));
      clock.set(now);
      for (String service : services) {
        for (int length : List.of(5, 30, 60)) {
          var window = Window.trailing(now, DELAY, Duration.ofMinutes(length));
          assertThat(batched.read(scope, service, window, kinds))
              .as(service + " over " + length + "m at minute " + minute)
              .usingRecursiveComparison()
              .isEqualTo(
                  world.read(
                      new MetricSource.MetricRequest(
                          "shop-prod", Set.of(service), window.start(), window.end(), kinds)));
        }
      }
    }

    assertThat(source.minuteReads).as("one backfill per kind").hasValue(2);
    assertThat(source.reads).as("then the newest minute, once per kind a minute").hasValue(9 * 2);
  }

  /**
   * With the data delay lowered below Cloud Monitoring's 3 minutes, a minute is read before all its
   * points arrived; it is read again once complete, so points that came late still count.
   */
  @Test
  void aMinuteReadBeforeItWasCompleteIsReadAgainOnceItIs() {
    var world = new FakeMetrics();
    var clock = new VirtualClock(NOW);
    var batched = new BatchedMetrics(clock);
    var scope = new BatchedMetrics.Scope(world, "shop-prod");
    batched.watch("checkout", scope, "checkout");
    var kinds = EnumSet.of(MetricSource.MetricKind.REQUESTS);
    for (int minute = -70; minute < 0; minute++) {
      minute(world, "checkout", NOW.plus(Duration.ofMinutes(minute)));
    }
    Duration lowDelay = Duration.ofMinutes(1);
    var window = Window.trailing(NOW, lowDelay, Duration.ofMinutes(5));
    long before = total(batched.read(scope, "checkout", window, kinds));
    // The newest minute's late points arrive after it was read.
    minute(world, "checkout", window.end());

    clock.set(NOW.plus(Duration.ofMinutes(2)));
    var later = Window.trailing(clock.instant(), lowDelay, Duration.ofMinutes(5));
    long after = total(batched.read(scope, "checkout", later, kinds));

    long whole =
        total(
            world.read(
                new MetricSource.MetricRequest(
                    "shop-prod", Set.of("checkout"), later.start(), later.end(), kinds)));
    assertThat(before).isEqualTo(500);
    assertThat(after).as("the late points counted").isEqualTo(whole).isEqualTo(400);
  }

  /**
   * At a data delay below Cloud Monitoring's 3 minutes every minute is read before it is complete
   * and again once it is; the read again comes in the same call as the newest minute, so a project
   * still costs one call per kind a minute.
   */
  @Test
  void readingIncompleteMinutesAgainCostsNoCallOfItsOwn() {
    var world = new FakeMetrics();
    var source = new MinutesInOneCall(world);
    var clock = new VirtualClock(NOW);
    var batched = new BatchedMetrics(clock);
    var scope = new BatchedMetrics.Scope(source, "shop-prod");
    var services = List.of("checkout", "cart");
    services.forEach(s -> batched.watch(s, scope, s));
    for (int minute = -120; minute < 30; minute++) {
      for (String service : services) {
        minute(world, service, NOW.plus(Duration.ofMinutes(minute)));
      }
    }
    var kinds = EnumSet.of(MetricSource.MetricKind.REQUESTS, MetricSource.MetricKind.LATENCIES);
    int callsBefore = 0;

    for (int minute = 0; minute < 20; minute++) {
      if (minute == 10) {
        callsBefore = source.reads.get() + source.minuteReads.get();
      }
      Instant now = NOW.plus(Duration.ofMinutes(minute));
      clock.set(now);
      for (String service : services) {
        var window = Window.trailing(now, Duration.ofMinutes(1), Duration.ofMinutes(30));
        assertThat(batched.read(scope, service, window, kinds))
            .usingRecursiveComparison()
            .isEqualTo(
                world.read(
                    new MetricSource.MetricRequest(
                        "shop-prod", Set.of(service), window.start(), window.end(), kinds)));
      }
    }

    assertThat(source.reads.get() + source.minuteReads.get() - callsBefore)
        .as("minutes 10 to 19: two kinds, one call each a minute")
        .isEqualTo(10 * 2);
  }

  static long total(Map<MetricSource.RevisionKey, MetricSource.RevisionMetrics> read) {
    return read.values().stream()
        .mapToLong(m -> m.requests().map(RequestCounts::total).orElse(0L))
        .sum();
  }
}
