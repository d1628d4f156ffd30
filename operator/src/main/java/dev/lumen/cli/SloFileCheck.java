package dev.lumen.cli;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.api.v1alpha1.SLOTargetStatus;
import dev.lumen.cycle.DecisionSink;
import dev.lumen.cycle.HeldStatus;
import dev.lumen.cycle.Readiness;
import dev.lumen.cycle.SloCycle;
import dev.lumen.engine.Severity;
import dev.lumen.gcp.CloudMonitoringMetricSource;
import dev.lumen.gcp.GoogleClientConfig;
import dev.lumen.observe.BatchedMetrics;
import dev.lumen.observe.CacheReadings;
import dev.lumen.observe.SloObserver;
import dev.lumen.ports.CloudRunServices;
import dev.lumen.ports.MetricSource.MetricRequest;
import dev.lumen.validation.CrdSchemas;
import dev.lumen.validation.ResourceValidator;
import dev.lumen.validation.Violation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code lumen check --slo}: SLOTargets from files, each evaluated once by the shipped {@link
 * SloCycle} straight from Cloud Monitoring, with no cluster.
 */
final class SloFileCheck {
  /** Every Cloud Monitoring call of the check ends within this. */
  static final Duration DEADLINE = Duration.ofSeconds(10);

  private final GoogleClientConfig monitoring;
  private final Clock clock = Clock.systemUTC();

  SloFileCheck(GoogleClientConfig monitoring) {
    this.monitoring = monitoring;
  }

  List<Verdict> check(List<Path> paths, PrintWriter err) throws IOException {
    var validator = new ResourceValidator(CrdSchemas.load());
    List<Verdict> verdicts = new ArrayList<>();
    try (var source = new CloudMonitoringMetricSource(monitoring)) {
      var backends =
          OperatorRun.withResourceEndpoints(
              new NoCloudRun(), source, DEADLINE, 1, new SimpleMeterRegistry());
      var cycle =
          new SloCycle(
              new SloObserver(
                  backends,
                  new BatchedMetrics(clock),
                  new CacheReadings(),
                  MetricRequest.DEFAULT_DATA_DELAY),
              clock);
      for (Path file : Manifests.expand(paths)) {
        for (var document : Manifests.read(file)) {
          if (!document.readable()) {
            err.println(file + ": " + document.error());
            verdicts.add(
                new Verdict("SLOTarget", "-", file.toString(), Verdict.UNKNOWN, "-", "unreadable"));
            continue;
          }
          if (!"SLOTarget".equals(document.content().path("kind").asText())) {
            continue;
          }
          var validation = validator.validate(document.content(), new FileReferences(false));
          String namespace =
              document.content().path("metadata").path("namespace").asText("default");
          if (!validation.valid()) {
            verdicts.add(
                new Verdict(
                    "SLOTarget",
                    namespace,
                    validation.name(),
                    Verdict.UNKNOWN,
                    "-",
                    "invalid: "
                        + validation.violations().stream()
                            .map(Violation::toString)
                            .collect(Collectors.joining("; "))));
            continue;
          }
          verdicts.add(evaluate(cycle, namespace, validator.typed(validation, SLOTarget.class)));
        }
      }
    }
    return verdicts;
  }

  private Verdict evaluate(SloCycle cycle, String namespace, SLOTarget target) {
    String name = target.getMetadata().getName();
    var spec = target.getSpec();
    if (spec.source() != null
        && spec.source().prometheus() != null
        && spec.source().prometheus().auth() != null) {
      return new Verdict(
          "SLOTarget",
          namespace,
          name,
          Verdict.UNKNOWN,
          "-",
          "its Prometheus credentials live in Secrets; check it in the cluster instead");
    }
    var store = new HeldStatus<SLOTargetStatus>(null);
    var outcome =
        cycle.run(
            new SloCycle.Input(
                "SLOTarget/" + namespace + "/" + name,
                "lumen-check",
                1,
                spec,
                Readiness.accepted("lumen check"),
                conditions -> conditions,
                Optional.empty()),
            store,
            QUIET);
    SLOTargetStatus status = store.current();
    Verdict verdict = Verdict.ofStatus(namespace, name, status);
    if (!outcome.gaps().isEmpty()) {
      // Something could not be read: a verdict on part of the objectives is no verdict.
      return new Verdict(
          "SLOTarget",
          namespace,
          name,
          Verdict.UNKNOWN,
          verdict.state(),
          "could not read: " + String.join("; ", outcome.gaps()));
    }
    return verdict;
  }

  /** The check reports through its table, not through events or notifications. */
  private static final DecisionSink<SLOTargetStatus> QUIET =
      new DecisionSink<>() {
        @Override
        public void event(boolean warning, String reason, String message) {}

        @Override
        public void notify(Severity severity, String kind, String message) {}

        @Override
        public void report(SLOTargetStatus status) {}

        @Override
        public void failed(RuntimeException failure) {}
      };

  /** An SLOTarget is measured, never steered: no Cloud Run call is made. */
  private static final class NoCloudRun implements CloudRunServices {
    @Override
    public ServiceState get(CloudRunServiceReference service) {
      throw new UnsupportedOperationException("lumen check makes no Cloud Run call");
    }

    @Override
    public Map<String, ServiceState> list(String project, String region) {
      throw new UnsupportedOperationException("lumen check makes no Cloud Run call");
    }

    @Override
    public List<RevisionInfo> revisions(CloudRunServiceReference service) {
      throw new UnsupportedOperationException("lumen check makes no Cloud Run call");
    }

    @Override
    public void setTraffic(
        CloudRunServiceReference service, Map<String, Integer> split, Map<String, String> tags) {
      throw new UnsupportedOperationException("lumen check makes no Cloud Run call");
    }

    @Override
    public void setMinInstances(CloudRunServiceReference service, int count) {
      throw new UnsupportedOperationException("lumen check makes no Cloud Run call");
    }

    @Override
    public void close() {}
  }
}
