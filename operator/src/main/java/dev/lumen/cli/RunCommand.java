package dev.lumen.cli;

import dev.lumen.gcp.CloudMonitoringMetricSource;
import dev.lumen.gcp.CloudMonitoringObjectStore;
import dev.lumen.gcp.CloudRunAdminServices;
import dev.lumen.reconciler.Pacing;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Runs the operator against a cluster and Google's services. */
@Command(
    name = "run",
    description = {
      "Run the operator against the cluster of the current kubeconfig context (or $KUBECONFIG),"
          + " or the in-cluster service account, and Google's Cloud Run and Cloud Monitoring.",
    },
    mixinStandardHelpOptions = true)
public final class RunCommand implements Callable<Integer> {
  @Mixin OperatorOptions options;
  @Mixin GoogleEndpoints endpoints;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    options.check(spec);
    return OperatorRun.run(
        options,
        Clock.systemUTC(),
        Pacing.REAL_TIME,
        clusterAndGoogle(options, endpoints, spec),
        spec.commandLine().getOut());
  }

  /** The cluster of the kubeconfig and the Google services at {@code endpoints}. */
  public static OperatorRun.Connector clusterAndGoogle(
      OperatorOptions options, GoogleEndpoints endpoints, CommandSpec spec) {
    var cloudRun = endpoints.cloudRun(spec, options.googleDeadline());
    var monitoring = endpoints.monitoring(spec, options.googleDeadline());
    var identities = endpoints.identities(spec);
    return opened -> {
      KubernetesClient client = clusterClient(options);
      opened.add(client);
      var metrics = new CloudMonitoringMetricSource(monitoring, identities);
      return new OperatorRun.Connections(
          client,
          new CloudRunAdminServices(cloudRun, identities),
          metrics,
          options.cloudMonitoringObjects
              ? java.util.Optional.of(new CloudMonitoringObjectStore(monitoring, identities))
              : java.util.Optional.empty(),
          options.cloudMonitoringFigures
              ? java.util.Optional.<dev.lumen.ports.MetricWriter>of(metrics)
              : java.util.Optional.empty());
    };
  }

  /** The cluster of the kubeconfig or the pod's service account, with the request deadline. */
  private static KubernetesClient clusterClient(OperatorOptions options) {
    return ClusterClients.of(java.util.Optional.empty(), options.requestTimeout());
  }
}
