package dev.lumen.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    // Lumen's split, not the recording's 10 %: the canary got the first step's 5 %.
    assertThat(minutes)
        .anySatisfy(m -> assertThat(m.traffic()).containsEntry("ion-api-00042", 5))
        .noneSatisfy(m -> assertThat(m.traffic()).containsEntry("ion-api-00042", 10));
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
        new dev.lumen.engine.observe.LatencyDistribution(
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

    assertThatThrownBy(
            () -> RecordedMetrics.read("bad.csv", new StringReader(csv), Optional.of("ion-api")))
        .isInstanceOfSatisfying(
            ScenarioException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "header: unknown column p99; the columns are timestamp, service, revision,"
                            + " requests, errors, latency_p50_ms, latency_p95_ms, cold_starts and"
                            + " latency_le_<ms> buckets"));
    String rows = csv.replace(",p99", "").replace(",1\n", "\n");
    assertThatThrownBy(
            () -> RecordedMetrics.read("bad.csv", new StringReader(rows), Optional.of("ion-api")))
        .isInstanceOfSatisfying(
            ScenarioException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "line 2: timestamp 2026-03-02T10:00:30Z is not on a whole minute; rows are"
                            + " per minute",
                        "line 3: errors 11 is more than requests 10",
                        "line 4: timestamp \"yesterday\" is not RFC 3339 UTC, e.g."
                            + " 2026-03-02T10:00:00Z",
                        "line 4: requests \"-3\" is not a whole number >= 0"));
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
