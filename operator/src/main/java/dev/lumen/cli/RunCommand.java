package dev.lumen.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.cache.RedisCacheStore;
import dev.lumen.engine.Durations;
import dev.lumen.gcp.CloudMonitoringMetricSource;
import dev.lumen.gcp.CloudRunAdminServices;
import dev.lumen.gcp.GoogleClientConfig;
import dev.lumen.metrics.MeteredCloudRun;
import dev.lumen.metrics.MeteredMetricSource;
import dev.lumen.metrics.ProcessMetrics;
import dev.lumen.ports.Backends;
import dev.lumen.ports.CacheStore;
import dev.lumen.ports.CloudRunServices;
import dev.lumen.ports.MetricSource;
import dev.lumen.prometheus.PrometheusMetricSource;
import dev.lumen.prometheus.PrometheusQuerySource;
import dev.lumen.quota.GoogleBudgets;
import dev.lumen.reconciler.Pacing;
import dev.lumen.runtime.LumenOperator;
import dev.lumen.runtime.OperatorHttpServer;
import dev.lumen.runtime.OperatorSettings;
import dev.lumen.sim.EmbeddedApiServer;
import dev.lumen.sim.FastClock;
import dev.lumen.sim.SimulatedGoogle;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Runs the operator, against a cluster or against an embedded API server. */
@Command(
    name = "run",
    description = {
      "Run the operator. Without --embedded-api-server it uses the cluster of the current"
          + " kubeconfig context, or the in-cluster service account.",
      "With --embedded-api-server it starts an in-process Kubernetes API server with Lumen's"
          + " CRDs and simulated Cloud Run and Cloud Monitoring endpoints (with a service for"
          + " each one the --apply files name), applies the files and prints what the operator"
          + " made of them."
    },
    mixinStandardHelpOptions = true)
final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Option(
      names = "--namespaces",
      split = ",",
      paramLabel = "NS",
      description = "Namespaces to watch, comma-separated. Default: all namespaces.")
  List<String> namespaces = new ArrayList<>();

  @Option(
      names = "--port",
      defaultValue = "8080",
      description =
          "Port of /healthz, /readyz and /metrics (0 picks a free port). Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(
      names = "--log-format",
      defaultValue = "plain",
      description = "plain or json. Default: ${DEFAULT-VALUE}.")
  LogFormat logFormat;

  @Option(
      names = "--leader-election",
      description = "Hold a Kubernetes Lease before reconciling; required with several replicas.")
  boolean leaderElection;

  @Option(
      names = "--lease-name",
      defaultValue = "lumen-operator",
      description = "Name of the Lease. Default: ${DEFAULT-VALUE}.")
  String leaseName;

  @Option(
      names = "--lease-namespace",
      description = "Namespace of the Lease. Default: $POD_NAMESPACE, else default.")
  String leaseNamespace;

  @Option(
      names = "--lease-duration",
      defaultValue = "15s",
      description =
          "How long after the leader's last renewal another replica takes over. Default:"
              + " ${DEFAULT-VALUE}.")
  String leaseDuration;

  @Option(
      names = "--reconcile-threads",
      defaultValue = "10",
      description = "Reconciliations that may run at once. Default: ${DEFAULT-VALUE}.")
  int reconcileThreads;

  @Option(
      names = "--request-timeout",
      defaultValue = "5s",
      description = "Deadline of each Kubernetes API request. Default: ${DEFAULT-VALUE}.")
  String requestTimeout;

  @Option(
      names = "--google-deadline",
      defaultValue = "5s",
      description =
          "Deadline of each Google API, Redis and Prometheus call. Default: ${DEFAULT-VALUE}.")
  String googleDeadline;

  @Option(
      names = "--monitoring-calls-per-minute",
      defaultValue = "" + GoogleBudgets.DEFAULT_CALLS_PER_MINUTE,
      description =
          "Most Cloud Monitoring reads per project in any minute; a read past it waits up to"
              + " --google-deadline, then the evaluation reports a gap. Default: ${DEFAULT-VALUE}.")
  int monitoringCallsPerMinute;

  @Option(
      names = "--cloud-run-calls-per-minute",
      defaultValue = "" + GoogleBudgets.DEFAULT_CALLS_PER_MINUTE,
      description =
          "Most Cloud Run Admin API calls per project in any minute, likewise. Default:"
              + " ${DEFAULT-VALUE}.")
  int cloudRunCallsPerMinute;

  @Option(
      names = "--metric-data-delay",
      defaultValue = "3m",
      description =
          "How long after the fact Cloud Monitoring has a minute's samples; metric windows end"
              + " this long before now. Default: ${DEFAULT-VALUE}.")
  String metricDataDelay;

  @Option(
      names = "--prometheus-rules",
      description =
          "Keep a PrometheusRule (Prometheus Operator) with the burn-rate alerts of each"
              + " SLOTarget, owned by it; what `lumen rules` renders. Needs the PrometheusRule"
              + " CRD and RBAC on prometheusrules.")
  boolean prometheusRules;

  @Option(
      names = "--prometheus-rules-label",
      paramLabel = "KEY=VALUE",
      description =
          "Label of each PrometheusRule, e.g. release=prometheus for the Prometheus Operator's"
              + " ruleSelector; repeatable.")
  Map<String, String> prometheusRuleLabels = new LinkedHashMap<>();

  @Option(
      names = "--embedded-api-server",
      description = "Start an in-process Kubernetes API server instead of using a cluster.")
  boolean embeddedApiServer;

  @Option(
      names = "--apply",
      paramLabel = "FILE",
      description = "Manifests (files or directories) to apply once the operator runs.")
  List<Path> apply = new ArrayList<>();

  @Option(
      names = "--duration",
      description = "Stop after this long (e.g. 30s). Default: run until interrupted.")
  String duration;

  @Option(
      names = "--simulated-google",
      hidden = true,
      split = ",",
      paramLabel = "CLOUD_RUN,MONITORING",
      description =
          "For tests that run the operator as a process: host:port of the loopback Cloud Run and"
              + " Cloud Monitoring fakes (plaintext, no credentials).")
  List<String> simulatedGoogle = new ArrayList<>();

  @Option(
      names = "--simulated-clock",
      hidden = true,
      split = ",",
      paramLabel = "ORIGIN,ANCHOR,SPEED",
      description =
          "For tests: a clock that showed ORIGIN at the wall-clock instant ANCHOR and runs SPEED"
              + " times faster than real time; requeues shrink with it.")
  List<String> simulatedClock = new ArrayList<>();

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (monitoringCallsPerMinute < 1 || cloudRunCallsPerMinute < 1) {
      throw new ParameterException(
          spec.commandLine(),
          "--monitoring-calls-per-minute and --cloud-run-calls-per-minute must be at least 1");
    }
    if (!prometheusRules && !prometheusRuleLabels.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(),
          "--prometheus-rules-label labels the rules of --prometheus-rules; add that option");
    }
    if (!simulatedGoogle.isEmpty() && simulatedGoogle.size() != 2) {
      throw new ParameterException(
          spec.commandLine(), "--simulated-google takes CLOUD_RUN,MONITORING");
    }
    if (!simulatedClock.isEmpty() && simulatedClock.size() != 3) {
      throw new ParameterException(
          spec.commandLine(), "--simulated-clock takes ORIGIN,ANCHOR,SPEED");
    }
    logFormat.install();
    PrintWriter out = spec.commandLine().getOut();
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ProcessMetrics.bindTo(registry);
    var closer = new ArrayList<AutoCloseable>();
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "lumen-shutdown"));
    try {
      KubernetesClient client;
      if (embeddedApiServer) {
        var api = EmbeddedApiServer.start();
        closer.add(0, api);
        client = api.newClient();
        LOG.info("Embedded Kubernetes API server at {}", api.url());
      } else {
        client = new KubernetesClientBuilder().withConfig(clusterConfig()).build();
      }
      closer.add(0, client);
      Backends backends;
      if (embeddedApiServer) {
        var google = new SimulatedGoogle(Clock.systemUTC(), 1, Duration.ofSeconds(1));
        closer.add(0, google);
        simulateServicesOf(apply, google);
        backends =
            backends(
                google.cloudRunClient(deadline()), google.monitoringClient(deadline()), registry);
        LOG.info(
            "Simulated Cloud Run at {} and Cloud Monitoring at {}",
            google.cloudRunServer().endpoint(),
            google.monitoringServer().endpoint());
      } else {
        boolean loopback = !simulatedGoogle.isEmpty();
        var cloudRun =
            loopback
                ? GoogleClientConfig.loopback(simulatedGoogle.get(0))
                : GoogleClientConfig.production();
        var monitoring =
            loopback
                ? GoogleClientConfig.loopback(simulatedGoogle.get(1))
                : GoogleClientConfig.production();
        backends =
            backends(
                new CloudRunAdminServices(cloudRun.withDeadline(deadline())),
                new CloudMonitoringMetricSource(monitoring.withDeadline(deadline())),
                registry);
      }
      Optional<FastClock> fastClock = fastClock();
      var operator =
          LumenOperator.start(
              client,
              settings(fastClock),
              fastClock.<Clock>map(c -> c).orElseGet(Clock::systemUTC),
              registry,
              backends);
      closer.add(0, operator);
      var http = OperatorHttpServer.start(port, operator::isReady, registry);
      closer.add(0, http);
      LOG.info("Serving /healthz, /readyz and /metrics on port {}", http.port());
      if (!apply.isEmpty()) {
        List<HasMetadata> applied = new ResourceApplier(client, "default").apply(apply);
        new ReadinessReport(client, out).awaitAndPrint(applied, Duration.ofSeconds(30));
      }
      if (duration != null) {
        stop.await(dev.lumen.engine.Durations.parse(duration).toMillis(), TimeUnit.MILLISECONDS);
      } else {
        out.println("Lumen is running; press Ctrl-C to stop.");
        out.flush();
        stop.await();
      }
      return 0;
    } finally {
      for (AutoCloseable c : closer) {
        c.close();
      }
    }
  }

  private OperatorSettings settings(Optional<FastClock> fastClock) throws UnknownHostException {
    Optional<OperatorSettings.LeaderElection> election = Optional.empty();
    if (leaderElection) {
      String namespace =
          leaseNamespace != null
              ? leaseNamespace
              : Optional.ofNullable(System.getenv("POD_NAMESPACE")).orElse("default");
      String identity =
          Optional.ofNullable(System.getenv("POD_NAME"))
              .orElse(
                  InetAddress.getLocalHost().getHostName() + "-" + ProcessHandle.current().pid());
      election =
          Optional.of(
              new OperatorSettings.LeaderElection(
                  leaseName, namespace, identity, Durations.parse(leaseDuration)));
    }
    return OperatorSettings.defaults()
        .withNamespaces(new LinkedHashSet<>(namespaces))
        .withLeaderElection(election)
        .withReconcileThreads(reconcileThreads)
        .withMetricDataDelay(Durations.parse(metricDataDelay))
        .withPacing(fastClock.map(c -> new Pacing(c.speed())).orElse(Pacing.REAL_TIME))
        .withPrometheusRules(
            prometheusRules
                ? Optional.of(new OperatorSettings.PrometheusRules(prometheusRuleLabels))
                : Optional.empty());
  }

  /** The clock of --simulated-clock, whose speed also paces the requeues. */
  private Optional<FastClock> fastClock() {
    return simulatedClock.isEmpty()
        ? Optional.empty()
        : Optional.of(
            FastClock.anchored(
                Instant.parse(simulatedClock.get(0)),
                Instant.parse(simulatedClock.get(1)),
                Double.parseDouble(simulatedClock.get(2))));
  }

  private Duration deadline() {
    return Durations.parse(googleDeadline);
  }

  private CacheStore redis(URI url) {
    return new RedisCacheStore(url, deadline(), 4);
  }

  /** The Google clients, with their calls counted, and clients for what resources name. */
  private Backends backends(
      CloudRunServices cloudRun, MetricSource monitoring, MeterRegistry registry) {
    var budgets = new GoogleBudgets(monitoringCallsPerMinute, cloudRunCallsPerMinute, deadline());
    return new Backends(
        budgets.cloudRun(new MeteredCloudRun(cloudRun, registry), registry),
        budgets.monitoring(
            new MeteredMetricSource(monitoring, registry, "monitoring.googleapis.com"), registry),
        this::redis,
        url ->
            new MeteredMetricSource(
                new PrometheusMetricSource(url, deadline()), registry, "prometheus"),
        url -> new PrometheusQuerySource(url, deadline()));
  }

  /**
   * The simulated Cloud Run gets a service, with one revision that has served for a day, for each
   * service the manifests name, so that the applied resources have something to observe.
   */
  private static void simulateServicesOf(List<Path> paths, SimulatedGoogle google)
      throws IOException {
    Instant yesterday = Instant.now().minus(Duration.ofDays(1));
    for (Path file : Manifests.expand(paths)) {
      for (var document : Manifests.read(file)) {
        JsonNode ref =
            document.readable()
                ? document.content().path("spec").path("service").path("cloudRun")
                : null;
        if (ref != null && ref.hasNonNull("name")) {
          var service =
              new CloudRunServiceReference(
                  ref.path("project").asText(),
                  ref.path("region").asText(),
                  ref.path("name").asText());
          if (!google.world().hasService(service)) {
            google.world().addService(service, service.name() + "-00001", 600, yesterday);
          }
        }
      }
    }
  }

  private Config clusterConfig() {
    int timeoutMillis = (int) dev.lumen.engine.Durations.parse(requestTimeout).toMillis();
    return new ConfigBuilder(Config.autoConfigure(null))
        .withRequestTimeout(timeoutMillis)
        .withConnectionTimeout(timeoutMillis)
        .build();
  }
}
