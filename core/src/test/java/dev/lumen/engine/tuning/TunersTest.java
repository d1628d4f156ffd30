package dev.lumen.engine.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.CacheTtlTuning;
import dev.lumen.api.v1alpha1.MinInstancesTuning;
import dev.lumen.api.v1alpha1.RedisReference;
import dev.lumen.api.v1alpha1.SecretKeyReference;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TunersTest {
  static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
  static final MinInstancesTuning MIN_INSTANCES =
      new MinInstancesTuning(0, 3, "10", "80", "90", "15m");
  static final CacheTtlTuning TTL =
      new CacheTtlTuning(
          new RedisReference(new SecretKeyReference("redis", "url"), null),
          "5m",
          "1h",
          "70",
          "90",
          "30m");

  @ParameterizedTest(name = "{0} instances, cold starts {1} %, budget {2} % -> {3}")
  @CsvSource({
    "1, 12, 50, 2",
    "1, 10, 50, ''",
    "1, 12, 80, ''",
    "3, 50, 10, ''",
    "2, 12, 91, 0",
    "2, 0, 90, ''",
    "0, 30, 95, ''",
    "5, 0, 10, 3"
  })
  void minInstancesRules(int current, double coldStarts, double budget, String expected) {
    var change =
        MinInstancesTuner.decide(
            MIN_INSTANCES,
            current,
            Optional.of(coldStarts),
            Optional.of(budget),
            Optional.empty(),
            NOW);

    assertThat(change.map(c -> String.valueOf(c.minInstances())).orElse("")).isEqualTo(expected);
    change.ifPresent(c -> assertThat(c.reason()).isNotBlank());
  }

  @Test
  void minInstancesWaitsForItsCooldownAndRaisesWithoutABudget() {
    var cooling =
        MinInstancesTuner.decide(
            MIN_INSTANCES,
            1,
            Optional.of(30.0),
            Optional.empty(),
            Optional.of(NOW.minusSeconds(600)),
            NOW);
    var cooled =
        MinInstancesTuner.decide(
            MIN_INSTANCES,
            1,
            Optional.of(30.0),
            Optional.empty(),
            Optional.of(NOW.minusSeconds(900)),
            NOW);

    assertThat(cooling).isEmpty();
    assertThat(cooled.orElseThrow().minInstances()).isEqualTo(2);
  }

  @ParameterizedTest(name = "TTL {0}s, hit rate {1} % -> {2}")
  @CsvSource({
    "600, 69.9, 900",
    "600, 70, ''",
    "600, 90, ''",
    "600, 90.1, 480",
    "3000, 50, 3600",
    "3600, 50, ''",
    "320, 95, 300",
    "300, 95, ''",
    "120, 80, 300",
    "7200, 80, 3600"
  })
  void cacheTtlRules(long ttlSeconds, double hitRate, String expected) {
    var change =
        CacheTtlTuner.decide(
            TTL,
            Optional.of(Duration.ofSeconds(ttlSeconds)),
            Optional.of(Duration.ofSeconds(ttlSeconds)),
            Optional.of(hitRate),
            Optional.empty(),
            NOW);

    assertThat(change.map(c -> String.valueOf(c.ttl().toSeconds())).orElse("")).isEqualTo(expected);
  }

  @Test
  void aMissingTtlIsPublishedAtTheMinimum() {
    var change =
        CacheTtlTuner.decide(
            TTL, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), NOW);

    assertThat(change.orElseThrow().ttl()).isEqualTo(Duration.ofMinutes(5));
  }

  /** Redis restarted without persistence: the tuned TTL comes back, not the minimum. */
  @Test
  void aTtlLostWithTheCacheIsPublishedAgain() {
    var change =
        CacheTtlTuner.decide(
            TTL,
            Optional.empty(),
            Optional.of(Duration.ofSeconds(675)),
            Optional.of(20.0),
            Optional.empty(),
            NOW);

    assertThat(change.orElseThrow().ttl()).isEqualTo(Duration.ofSeconds(675));
    assertThat(change.orElseThrow().reason())
        .isEqualTo(
            "the published TTL is gone from Redis (restarted or flushed): publishing 11m15s again");
  }

  /**
   * A day of per-minute hit rates with heavy noise (sd 10 points) around 80 %, inside the band: fed
   * over the cooldown window, as the loop is meant to be, the TTL never moves.
   */
  @Test
  void noiseInsideTheBandNeverMovesTheTtl() {
    var random = new Random(42);
    List<Long> ttls = runLoop(minute -> 80 + random.nextGaussian() * 10, ttl -> 0.0);

    assertThat(changes(ttls)).isZero();
  }

  /**
   * The hit rate follows the TTL (70 % at 15 min, 95 % at 1 h, plus noise): the loop raises the TTL
   * until the hit rate is inside the band, then leaves it; it never reverses direction.
   */
  @Test
  void aHitRateThatFollowsTheTtlConvergesWithoutOscillating() {
    var random = new Random(7);
    List<Long> ttls =
        runLoop(
            minute -> 0.0, ttl -> 100 * (1 - Math.exp(-ttl / 750.0)) + random.nextGaussian() * 5);

    assertThat(reversals(ttls)).isZero();
    assertThat(changes(ttls)).isBetween(1, 4);
    assertThat(ttls.get(ttls.size() - 1)).isBetween(900L, 3600L);
  }

  /** Runs the loop for a day, one reading a minute, averaging the last 30 minutes of readings. */
  private static List<Long> runLoop(
      java.util.function.IntFunction<Double> noise,
      java.util.function.DoubleFunction<Double> response) {
    long ttl = 300;
    Instant lastChange = null;
    List<Double> readings = new ArrayList<>();
    List<Long> ttls = new ArrayList<>();
    for (int minute = 0; minute < 24 * 60; minute++) {
      Instant now = NOW.plus(Duration.ofMinutes(minute));
      readings.add(noise.apply(minute) + response.apply(ttl));
      double windowed =
          readings.subList(Math.max(0, readings.size() - 30), readings.size()).stream()
              .mapToDouble(Double::doubleValue)
              .average()
              .orElseThrow();
      var change =
          CacheTtlTuner.decide(
              TTL,
              Optional.of(Duration.ofSeconds(ttl)),
              Optional.of(Duration.ofSeconds(ttl)),
              Optional.of(windowed),
              Optional.ofNullable(lastChange),
              now);
      if (change.isPresent()) {
        ttl = change.get().ttl().toSeconds();
        lastChange = now;
        readings.clear();
      }
      ttls.add(ttl);
    }
    return ttls;
  }

  private static int changes(List<Long> ttls) {
    int changes = 0;
    for (int i = 1; i < ttls.size(); i++) {
      if (!ttls.get(i).equals(ttls.get(i - 1))) {
        changes++;
      }
    }
    return changes;
  }

  private static int reversals(List<Long> ttls) {
    int reversals = 0;
    int direction = 0;
    for (int i = 1; i < ttls.size(); i++) {
      int d = Long.compare(ttls.get(i), ttls.get(i - 1));
      if (d != 0) {
        if (direction != 0 && d != direction) {
          reversals++;
        }
        direction = d;
      }
    }
    return reversals;
  }
}
