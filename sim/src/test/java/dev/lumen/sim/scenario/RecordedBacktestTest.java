package dev.lumen.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordedBacktestTest {
  private static final Path POLICY = Path.of("../samples/minimal/lumenpolicy.yaml");
  private static final Path SLO = Path.of("../samples/minimal/slotarget.yaml");
  private static final Path SAMPLE = Path.of("../samples/recorded/ion-api.csv");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static final Instant START = Instant.parse("2026-03-02T10:00:00Z");

  @TempDir Path dir;

  @Test
  void theSampleRecordingsFailingRevisionIsRolledBackByTheMinimalPolicy() throws IOException {
    Recording recording = run(SAMPLE);

    var minutes = recording.minutes("ion-api");
    assertThat(minutes.get(minutes.size() - 1).traffic()).isEqualTo(Map.of("ion-api-00041", 100));
    assertThat(recording.journal().entries())
        .filteredOn(e -> e.kind().equals("Rollback"))
        .singleElement()
        .satisfies(e -> assertThat(e.text()).contains("ion-api-00042"));
    // Lumen's split, not the recording's 10 %: the canary's first minutes are at the first step's
    // 5 %.
    assertThat(
            minutes.stream()
                .filter(m -> m.traffic().containsKey("ion-api-00042"))
                .findFirst()
                .orElseThrow()
                .traffic())
        .containsEntry("ion-api-00042", 5);
  }

  @Test
  void aHealthyRecordedRevisionIsPromotedAndTheRecordedLatencyShapeIsKept() throws IOException {
    Path csv = dir.resolve("healthy.csv");
    Files.writeString(csv, healthyRecording(120, "latency_p50_ms,latency_p95_ms", "80,200"));

    Recording recording = run(csv);

    var last = recording.minutes("ion-api").get(recording.minutes("ion-api").size() - 1);
    assertThat(last.traffic()).isEqualTo(Map.of("ion-api-00042", 100));
    // p95 / p50 = 2.5 recorded: the replayed p95 is near 200 ms, not the simulator's default.
    var latency = last.revisions().get("ion-api-00042").latencyCounts();
    var distribution =
        new dev.lumen.engine.measure.LatencyDistribution(
            dev.lumen.ports.FakeMetrics.LATENCY_BOUNDS, latency);
    assertThat(distribution.percentile(95)).isBetween(150.0, 260.0);
  }

  @Test
  void bucketsGiveTheSameShapeAsPercentiles() {
    String csv =
        "timestamp,revision,requests,errors,latency_le_50,latency_le_100,latency_le_200,latency_le_inf\n"
            + "2026-03-02T10:00:00Z,ion-api-00041,100,1,10,60,95,100\n";
    var recorded = RecordedMetrics.read("b.csv", new StringReader(csv), Optional.of("ion-api"));

    var behaviour =
        recorded.services().get("ion-api").revisions().get("ion-api-00041").firstEntry().getValue();
    assertThat(behaviour.errorRate()).isEqualTo(0.01);
    assertThat(behaviour.medianLatencyMillis()).isEqualTo(50 + 50 * 40 / 50.0);
    assertThat(behaviour.latencySpread()).isGreaterThan(0.3);
  }

  @Test
  void badRowsAreReportedByLineAndColumn() {
    String csv =
        "timestamp,revision,requests,errors,latency_p50_ms,latency_p95_ms,p99\n"
            + "2026-03-02T10:00:30Z,a,10,1,80,150,1\n"
            + "2026-03-02T10:01:00Z,a,10,11,80,150,1\n"
            + "yesterday,a,-3,0,80,70,1\n";

    assertThat(problems(csv))
        .containsExactly(
            "header: unknown column p99; the columns are timestamp, service, revision,"
                + " requests, errors, latency_p50_ms, latency_p95_ms, cold_starts,"
                + " instances, cache_hit_rate, cache_ttl_seconds and latency_le_<ms>"
                + " buckets");
    String rows = csv.replace(",p99", "").replace(",1\n", "\n");
    assertThat(problems(rows))
        .containsExactly(
            "line 2: timestamp 2026-03-02T10:00:30Z is not on a whole minute; rows are"
                + " per minute",
            "line 3: errors 11 is more than requests 10",
            "line 4: timestamp \"yesterday\" is not RFC 3339 UTC, e.g." + " 2026-03-02T10:00:00Z",
            "line 4: requests \"-3\" is not a whole number >= 0");
  }

  @Test
  void aRecordedServiceNoPolicyWatchesIsAnError() throws IOException {
    Path csv = dir.resolve("other.csv");
    Files.writeString(
        csv,
        "timestamp,service,revision,requests,errors,latency_p50_ms,latency_p95_ms\n"
            + "2026-03-02T10:00:00Z,billing,billing-00001,100,0,80,150\n");

    assertThatThrownBy(() -> RecordedBacktest.prepare(resources(), csv))
        .isInstanceOfSatisfying(
            ScenarioException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "service billing is recorded but no LumenPolicy or SLOTarget watches it;"
                            + " watched: [ion-api]",
                        "service ion-api is watched but has no rows"));
  }

  /**
   * Recorded at 50 % with a 5-minute TTL: entries are re-read every 5 minutes. Lumen raises the TTL
   * by half while the hit rate is under 70 %, and the replayed hit rate follows the TTL it
   * publishes: 7m30s 60 %, 11m15s 69.2 %, 16m53s 77.2 %, inside the band.
   */
  @Test
  void aRecordedHitRateIsReplayedUnderTheTtlLumenPublishes() throws IOException {
    Path csv = dir.resolve("cache.csv");
    StringBuilder rows =
        new StringBuilder(
            "timestamp,revision,requests,errors,latency_p50_ms,latency_p95_ms,"
                + "cache_hit_rate,cache_ttl_seconds\n");
    for (int m = 0; m < 120; m++) {
      rows.append(START.plus(Duration.ofMinutes(m)))
          .append(",ion-api-00041,600,1,80,150,0.5,300\n");
    }
    Files.writeString(csv, rows);
    List<JsonNode> resources = resources();
    ((ObjectNode) resources.get(0).path("spec"))
        .set(
            "tuning",
            YAML.readTree(
                "cacheTtl: {redis: {urlSecretRef: {name: redis, key: url}}, min: 5m, max: 1h,"
                    + " cooldown: 10m}"));

    var prepared = RecordedBacktest.prepare(resources, csv);
    Recording recording =
        new Backtest(prepared.loaded(), Duration.ofMinutes(1), prepared.world()).run();

    var minutes = recording.minutes("ion-api");
    assertThat(minutes.get(0).cacheHitRate().getAsDouble()).isCloseTo(0.5, within(1e-9));
    var last = minutes.get(minutes.size() - 1);
    assertThat(last.cacheTtl()).contains(Duration.ofSeconds(1013));
    assertThat(last.cacheHitRate().getAsDouble()).isCloseTo(1013.0 / 1313, within(1e-9));
    assertThat(recording.policies().get("ion-api").getTuning().cacheTtl()).isEqualTo("16m53s");
  }

  /**
   * Instances are recorded per request served: the canary, five times as costly per request, runs
   * instances for the share Lumen gives it, not for the 10 % it had when recorded.
   */
  @Test
  void recordedInstancesFollowTheShareLumenGives() throws IOException {
    Path csv = dir.resolve("instances.csv");
    StringBuilder rows =
        new StringBuilder(
            "timestamp,revision,requests,errors,latency_p50_ms,latency_p95_ms,instances\n");
    for (int m = 0; m < 30; m++) {
      String at = START.plus(Duration.ofMinutes(m)).toString();
      rows.append(at).append(",ion-api-00041,600,1,80,150,6\n");
      if (m >= 2) {
        rows.append(at).append(",ion-api-00042,60,0,80,150,3\n");
      }
    }
    Files.writeString(csv, rows);

    Recording recording = run(csv);

    var withCanary =
        recording.minutes("ion-api").stream()
            .filter(m -> m.traffic().getOrDefault("ion-api-00042", 0) == 5)
            .toList();
    assertThat(withCanary).isNotEmpty();
    for (var minute : withCanary) {
      var canary = minute.revisions().get("ion-api-00042");
      var stable = minute.revisions().get("ion-api-00041");
      assertThat(canary.instances()).isCloseTo(canary.requests().total() * 0.05, within(1e-9));
      assertThat(stable.instances()).isCloseTo(stable.requests().total() * 0.01, within(1e-9));
      assertThat(canary.billableInstanceSeconds()).isCloseTo(canary.instances() * 60, within(1e-9));
    }
  }

  @Test
  void badCacheAndInstanceColumnsAreReportedByLine() {
    assertThat(
            problems(
                "timestamp,revision,requests,errors,latency_p50_ms,latency_p95_ms,"
                    + "cache_hit_rate\n"))
        .contains(
            "header: cache_hit_rate and cache_ttl_seconds go together: the hit rate"
                + " means little without the TTL it was had with");
    String csv =
        "timestamp,revision,requests,errors,latency_p50_ms,latency_p95_ms,instances,"
            + "cache_hit_rate,cache_ttl_seconds\n"
            + "2026-03-02T10:00:00Z,a,10,1,80,150,-1,1.5,300\n"
            + "2026-03-02T10:01:00Z,a,10,1,80,150,1,0.5,0\n";
    assertThat(problems(csv))
        .containsExactly(
            "line 2: cache_hit_rate \"1.5\" is not a fraction from 0 to 1, e.g. 0.72",
            "line 2: instances \"-1\" is not a number >= 0 of billable instances (the"
                + " minute's mean)",
            "line 3: cache_ttl_seconds must be at least 1 with a cache_hit_rate");
    String disagreeing =
        "timestamp,revision,requests,errors,latency_p50_ms,latency_p95_ms,"
            + "cache_hit_rate,cache_ttl_seconds\n"
            + "2026-03-02T10:02:00Z,a,10,1,80,150,0.5,300\n"
            + "2026-03-02T10:02:00Z,b,10,1,80,150,0.6,300\n"
            + "2026-03-02T10:03:00Z,a,10,1,80,150,0.5,300\n"
            + "2026-03-02T10:03:00Z,b,10,1,80,150,,\n";
    assertThat(problems(disagreeing))
        .containsExactly(
            "line 3: cache_hit_rate and cache_ttl_seconds differ from another row of"
                + " ion-api at 2026-03-02T10:02:00Z; the cache is the service's, so its"
                + " rows of a minute must agree (or leave them empty)");
  }

  /** What reading {@code csv} as ion-api's recording rejects it for. */
  private static List<String> problems(String csv) {
    try {
      RecordedMetrics.read("bad.csv", new StringReader(csv), Optional.of("ion-api"));
    } catch (ScenarioException e) {
      return e.problems();
    }
    throw new AssertionError("accepted: " + csv);
  }

  private static Recording run(Path csv) throws IOException {
    var prepared = RecordedBacktest.prepare(resources(), csv);
    return new Backtest(prepared.loaded(), Duration.ofMinutes(1), prepared.world()).run();
  }

  private static List<JsonNode> resources() throws IOException {
    List<JsonNode> resources = new ArrayList<>();
    resources.add(YAML.readTree(POLICY.toFile()));
    resources.add(YAML.readTree(SLO.toFile()));
    return resources;
  }

  /** Stable all along, a new revision from minute 2 behaving the same. */
  private static String healthyRecording(int minutes, String latencyColumns, String latency) {
    StringBuilder csv =
        new StringBuilder("timestamp,revision,requests,errors," + latencyColumns + "\n");
    Instant start = Instant.parse("2026-03-02T10:00:00Z");
    for (int m = 0; m < minutes; m++) {
      String at = start.plus(Duration.ofMinutes(m)).toString();
      csv.append(at).append(",ion-api-00041,600,1,").append(latency).append('\n');
      if (m >= 2) {
        csv.append(at).append(",ion-api-00042,60,0,").append(latency).append('\n');
      }
    }
    return csv.toString();
  }
}
