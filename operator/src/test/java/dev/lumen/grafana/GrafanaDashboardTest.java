package dev.lumen.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.metrics.ProcessMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every query of the Grafana dashboard the chart ships names metrics Lumen exports: the lumen_
 * meters its sources register (in Prometheus naming), and the JVM meters `lumen run` installs
 * ({@link ProcessMetrics}).
 */
class GrafanaDashboardTest {
  static final Path DASHBOARD = Path.of("../helm/lumen-operator/files/grafana-dashboard.json");
  static final Pattern METRIC = Pattern.compile("\\b((?:lumen|jvm|process)_[a-z_]+)\\b");
  static final Pattern METER_NAME = Pattern.compile("\"(lumen(?:\\.[a-z]+)+)\"");

  /** The per-resource gauges, which LumenMetrics names in Prometheus form. */
  static final Pattern GAUGE_FAMILY = Pattern.compile("\"(lumen(?:_[a-z]+)+)\"");

  static final Path METRICS = Path.of("src/main/java/dev/lumen/metrics/LumenMetrics.java");

  @Test
  void everyQueryNamesAnExportedMetric() throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    List<String> queries = new ArrayList<>();
    dashboard.findValues("expr").forEach(e -> queries.add(e.asText()));
    dashboard.path("templating").findValues("definition").forEach(d -> queries.add(d.asText()));
    assertThat(queries).hasSizeGreaterThan(20);

    Set<String> exported = exportedMetrics();
    Set<String> used = new TreeSet<>();
    for (String query : queries) {
      Matcher m = METRIC.matcher(query);
      boolean any = false;
      while (m.find()) {
        used.add(m.group(1));
        any = true;
      }
      assertThat(any).as("query names a Lumen or JVM metric: %s", query).isTrue();
    }
    assertThat(exported).as("exported metrics").containsAll(used);
    assertThat(queries)
        .filteredOn(q -> q.contains("jvm_"))
        .as("a JVM series is Lumen's only when its pod exports Lumen's metrics, not every JVM's")
        .isNotEmpty()
        .allSatisfy(q -> assertThat(q).contains("on (namespace, pod) lumen_operator_ready"));
    assertThat(used)
        .as("the dashboard covers rollouts, gates, SLOs, budget, tuning and the operator")
        .contains(
            "lumen_policy_canary_weight_percent",
            "lumen_policy_gate",
            "lumen_slo_burn_rate",
            "lumen_slo_error_budget_remaining_percent",
            "lumen_policy_budget_used_percent",
            "lumen_policy_cache_ttl_seconds",
            "lumen_policy_min_instances",
            "lumen_operator_ready");
  }

  @Test
  void panelsHaveUniqueIdsAndDescriptions() throws IOException {
    JsonNode panels = new ObjectMapper().readTree(DASHBOARD.toFile()).path("panels");
    Set<Integer> ids = new TreeSet<>();
    for (JsonNode panel : panels) {
      assertThat(ids.add(panel.path("id").asInt())).as("unique id " + panel.path("id")).isTrue();
      if (!panel.path("type").asText().equals("row")) {
        assertThat(panel.path("description").asText())
            .as(panel.path("title").asText())
            .isNotBlank();
      }
    }
  }

  /**
   * The meter names in the operator's sources, as Prometheus names them, the per-resource gauge
   * families, plus the JVM's.
   */
  static Set<String> exportedMetrics() throws IOException {
    Set<String> names = new TreeSet<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java/dev/lumen"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Matcher m = METER_NAME.matcher(Files.readString(file));
        while (m.find()) {
          String base = m.group(1).replace('.', '_');
          // Gauges keep the name; counters get _total; timers _seconds and its series.
          names.addAll(
              List.of(
                  base,
                  base + "_total",
                  base + "_seconds",
                  base + "_seconds_count",
                  base + "_seconds_sum",
                  base + "_seconds_max"));
        }
      }
    }
    GAUGE_FAMILY.matcher(Files.readString(METRICS)).results().forEach(m -> names.add(m.group(1)));
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ProcessMetrics.bindTo(registry);
    registry
        .scrape()
        .lines()
        .filter(l -> l.startsWith("# TYPE "))
        .forEach(l -> names.add(l.split(" ")[2]));
    return names;
  }
}
