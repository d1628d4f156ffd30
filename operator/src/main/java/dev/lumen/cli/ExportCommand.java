package dev.lumen.cli;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.engine.Decimals;
import dev.lumen.engine.Durations;
import dev.lumen.engine.measure.LatencyDistribution;
import dev.lumen.gcp.CloudMonitoringMetricSource;
import dev.lumen.ports.MetricSource;
import dev.lumen.ports.MetricSource.MetricKind;
import dev.lumen.ports.MetricSource.MetricRequest;
import dev.lumen.ports.MetricSource.RevisionKey;
import dev.lumen.ports.MetricSource.RevisionMetrics;
import dev.lumen.ports.PortException;
import dev.lumen.validation.CrdSchemas;
import dev.lumen.validation.ResourceValidator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Writes services' recorded history from Cloud Monitoring as the local tool's replay CSV. */
@Command(
    name = "export",
    description = {
      "Export the history of the services the given policies and SLOTargets watch from Cloud"
          + " Monitoring, one CSV row per revision and minute: the recorded metrics the local"
          + " tool replays policies on (docs/simulation.md).",
      "Reads one query per project and metric kind, aligned to the minute, with the operator's"
          + " Monitoring client.",
      "Exit code 0 on success, 1 when a resource is invalid or nothing was recorded, 3 when Cloud"
          + " Monitoring could not be read."
    },
    mixinStandardHelpOptions = true)
public final class ExportCommand implements Callable<Integer> {
  static final Duration DEADLINE = Duration.ofSeconds(30);
  static final Set<MetricKind> KINDS =
      EnumSet.of(
          MetricKind.REQUESTS,
          MetricKind.LATENCIES,
          MetricKind.STARTUPS,
          MetricKind.BILLABLE_INSTANCE_TIME);

  @Option(
      names = "--policy",
      paramLabel = "FILE",
      required = true,
      description = "LumenPolicy YAML files or directories: their services are exported.")
  List<Path> policyFiles = new ArrayList<>();

  @Option(
      names = "--slo",
      paramLabel = "FILE",
      description = "SLOTarget YAML files or directories: their services are exported too.")
  List<Path> sloFiles = new ArrayList<>();

  @Option(
      names = "--since",
      defaultValue = "7d",
      description = "How far back, as a duration. Default: ${DEFAULT-VALUE}.")
  String since;

  @Option(
      names = "--until",
      paramLabel = "TIME",
      description =
          "The end, RFC 3339 (e.g. 2026-12-01T00:00:00Z); default: now less Cloud Monitoring's"
              + " data delay (3 minutes).")
  String until;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write here instead of stdout.")
  Path output;

  @Mixin GoogleEndpoints endpoints;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    var validator = new ResourceValidator(CrdSchemas.load());
    var policies = ValidResources.read(policyFiles, LumenPolicy.class, validator, err);
    var sloTargets = ValidResources.read(sloFiles, SLOTarget.class, validator, err);
    if (policies.problems() + sloTargets.problems() > 0) {
      err.printf(
          "export: %d problem(s); nothing written%n", policies.problems() + sloTargets.problems());
      return 1;
    }
    Set<CloudRunServiceReference> services = new java.util.LinkedHashSet<>();
    policies.resources().forEach(p -> services.add(p.getSpec().service().cloudRun()));
    sloTargets.resources().forEach(t -> services.add(t.getSpec().service().cloudRun()));
    if (services.isEmpty()) {
      err.println("export: no LumenPolicy in " + policyFiles);
      return 1;
    }
    Instant end =
        (until != null
                ? Instant.parse(until)
                : Instant.now().minus(MetricRequest.DEFAULT_DATA_DELAY))
            .truncatedTo(ChronoUnit.MINUTES);
    Instant start = end.minus(Durations.parse(since)).truncatedTo(ChronoUnit.MINUTES);
    Map<String, Map<String, Set<String>>> byProject = new TreeMap<>();
    services.forEach(
        s ->
            byProject
                .computeIfAbsent(s.project(), p -> new TreeMap<>())
                .computeIfAbsent(s.region(), r -> new TreeSet<>())
                .add(s.name()));
    Map<RevisionKey, NavigableMap<Instant, RevisionMetrics>> history = new TreeMap<>(ORDER);
    try (MetricSource monitoring =
        new CloudMonitoringMetricSource(endpoints.monitoring(spec, DEADLINE))) {
      for (var project : byProject.entrySet()) {
        Set<String> names =
            project.getValue().values().stream()
                .flatMap(Set::stream)
                .collect(Collectors.toCollection(TreeSet::new));
        monitoring
            .readMinutes(new MetricRequest(project.getKey(), names, start, end, KINDS))
            .forEach(
                (key, minutes) -> {
                  // The services asked for, in their own regions: one project may run a name twice.
                  if (project
                      .getValue()
                      .getOrDefault(key.region(), Set.of())
                      .contains(key.service())) {
                    history.put(key, minutes);
                  }
                });
      }
    } catch (PortException e) {
      err.println("export: Cloud Monitoring could not be read: " + e.getMessage());
      return 3;
    }
    String csv = HistoryCsv.render(history, start, end, byProject.keySet());
    long rows = csv.lines().filter(l -> !l.startsWith("#")).count() - 1;
    if (rows <= 0) {
      err.printf(
          "export: no requests recorded for %s between %s and %s%n",
          services.stream().map(CloudRunServiceReference::name).toList(), start, end);
      return 1;
    }
    if (output != null) {
      Files.writeString(output, csv);
      err.printf("export: %d rows (%s to %s) written to %s%n", rows, start, end, output);
    } else {
      spec.commandLine().getOut().print(csv);
      spec.commandLine().getOut().flush();
    }
    return 0;
  }

  private static final java.util.Comparator<RevisionKey> ORDER =
      java.util.Comparator.comparing(RevisionKey::service)
          .thenComparing(RevisionKey::region)
          .thenComparing(RevisionKey::revision);

  /** The backtest's CSV (docs/simulation.md, Backtests over recorded metrics). */
  static final class HistoryCsv {
    private HistoryCsv() {}

    static String render(
        Map<RevisionKey, NavigableMap<Instant, RevisionMetrics>> history,
        Instant start,
        Instant end,
        Set<String> projects) {
      double[] bounds =
          history.values().stream()
              .flatMap(m -> m.values().stream())
              .flatMap(m -> m.latency().stream())
              .map(LatencyDistribution::upperBoundsMillis)
              .findFirst()
              .orElse(new double[0]);
      StringBuilder out = new StringBuilder();
      out.append("# exported by lumen export from Cloud Monitoring (")
          .append(String.join(", ", projects))
          .append("), ")
          .append(start)
          .append(" to ")
          .append(end)
          .append('\n');
      out.append("timestamp,service,revision,requests,errors");
      for (double bound : bounds) {
        out.append(",latency_le_").append(Decimals.exact(bound));
      }
      out.append(",latency_le_inf,cold_starts,instances\n");
      List<String> rows = new ArrayList<>();
      history.forEach(
          (key, minutes) ->
              minutes.forEach(
                  (minute, m) -> {
                    if (m.requests().isEmpty()) {
                      return;
                    }
                    StringBuilder row = new StringBuilder();
                    row.append(minute)
                        .append(',')
                        .append(key.service())
                        .append(',')
                        .append(key.revision())
                        .append(',')
                        .append(m.requests().get().total())
                        .append(',')
                        .append(m.requests().get().serverErrors());
                    long[] counts =
                        m.latency()
                            .filter(d -> d.upperBoundsMillis().length == bounds.length)
                            .map(LatencyDistribution::counts)
                            .orElse(null);
                    long cumulative = 0;
                    for (int i = 0; i <= bounds.length; i++) {
                      row.append(',');
                      if (counts != null) {
                        cumulative += counts[i];
                        row.append(cumulative);
                      }
                    }
                    row.append(',').append(m.coldStarts().map(String::valueOf).orElse(""));
                    row.append(',')
                        .append(
                            m.billableInstanceSeconds()
                                .map(s -> Decimals.format(s / 60, 3))
                                .orElse(""));
                    rows.add(row.toString());
                  }));
      rows.sort(java.util.Comparator.naturalOrder());
      rows.forEach(r -> out.append(r).append('\n'));
      return out.toString();
    }
  }
}
