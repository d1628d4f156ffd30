package dev.lumen.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Clients of the cluster the commands talk to, each request bounded by a deadline. */
final class ClusterClients {
  private ClusterClients() {}

  /**
   * @param kubeconfig a kubeconfig file; else $KUBECONFIG, ~/.kube/config or the pod's service
   *     account
   */
  static KubernetesClient of(Optional<Path> kubeconfig, Duration requestTimeout) {
    Config base;
    try {
      base =
          kubeconfig.isPresent()
              ? Config.fromKubeconfig(Files.readString(kubeconfig.get()))
              : Config.autoConfigure(null);
    } catch (IOException e) {
      throw new KubernetesClientException(
          "cannot read " + kubeconfig.get() + ": " + e.getMessage());
    }
    int millis = (int) requestTimeout.toMillis();
    Config config =
        new ConfigBuilder(base).withRequestTimeout(millis).withConnectionTimeout(millis).build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
