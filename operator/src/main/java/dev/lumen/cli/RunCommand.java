package dev.lumen.cli;

import dev.lumen.runtime.LumenOperator;
import dev.lumen.runtime.OperatorHttpServer;
import dev.lumen.runtime.OperatorSettings;
import dev.lumen.sim.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs the operator, against a cluster or against an embedded API server. */
@Command(
    name = "run",
    description = {
      "Run the operator. Without --embedded-api-server it uses the cluster of the current"
          + " kubeconfig context, or the in-cluster service account.",
      "With --embedded-api-server it starts an in-process Kubernetes API server with Lumen's"
          + " CRDs, applies the --apply files and prints what the operator made of them."
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

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    logFormat.install();
    PrintWriter out = spec.commandLine().getOut();
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    bindProcessMetrics(registry);
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
      var operator = LumenOperator.start(client, settings(), Clock.systemUTC(), registry);
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

  private OperatorSettings settings() throws UnknownHostException {
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
      election = Optional.of(new OperatorSettings.LeaderElection(leaseName, namespace, identity));
    }
    return new OperatorSettings(
        new LinkedHashSet<>(namespaces),
        election,
        reconcileThreads,
        OperatorSettings.defaults().secretRecheckInterval());
  }

  private Config clusterConfig() {
    int timeoutMillis = (int) dev.lumen.engine.Durations.parse(requestTimeout).toMillis();
    return new ConfigBuilder(Config.autoConfigure(null))
        .withRequestTimeout(timeoutMillis)
        .withConnectionTimeout(timeoutMillis)
        .build();
  }

  private static void bindProcessMetrics(PrometheusMeterRegistry registry) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }
}
