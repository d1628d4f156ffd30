package dev.lumen.tenancy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the ConfigMap the admission policy reads ({@link AdmissionMap}) in step with the bindings:
 * at start, whenever a binding changes, and every {@link #REFRESH} for namespace labels. A write is
 * made only when the content differs, so several replicas agree without coordination. Admission is
 * the early, friendly refusal; the operator's check at every cycle stays the authority, so a map a
 * few seconds old costs at most a refusal at apply time that a retry resolves.
 */
public final class AdmissionMapWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdmissionMapWriter.class);

  /** How often namespace labels are looked at again; binding changes are written at once. */
  public static final Duration REFRESH = Duration.ofSeconds(30);

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final ClusterBindings bindings;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "lumen-admission-map");
            thread.setDaemon(true);
            return thread;
          });

  private AdmissionMapWriter(
      KubernetesClient client, String namespace, String name, ClusterBindings bindings) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.bindings = bindings;
  }

  /** Writes the map now and keeps it up to date until closed. */
  public static AdmissionMapWriter start(
      KubernetesClient client, String namespace, String name, ClusterBindings bindings) {
    var writer = new AdmissionMapWriter(client, namespace, name, bindings);
    writer.executor.scheduleWithFixedDelay(
        writer::refreshQuietly, 0, REFRESH.toMillis(), TimeUnit.MILLISECONDS);
    bindings.onChange(() -> writer.executor.execute(writer::refreshQuietly));
    return writer;
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (KubernetesClientException e) {
      LOG.warn(
          "Could not update the admission map ConfigMap {}/{}: {}; trying again within {} s",
          namespace,
          name,
          e.getMessage(),
          REFRESH.toSeconds());
    }
  }

  /** Writes the map if it differs from what the ConfigMap holds. */
  void refresh() {
    Map<String, Map<String, String>> labels =
        client.namespaces().list().getItems().stream()
            .collect(
                Collectors.toMap(
                    n -> n.getMetadata().getName(), AdmissionMapWriter::labelsOf, (a, b) -> a));
    Map<String, String> data = AdmissionMap.of(bindings.all(), labels);
    var resource = client.configMaps().inNamespace(namespace).withName(name);
    ConfigMap current = resource.get();
    if (current != null && Objects.equals(orEmpty(current.getData()), data)) {
      return;
    }
    ConfigMap wanted =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .addToLabels("app.kubernetes.io/managed-by", "lumen-operator")
            .addToAnnotations(
                "lumen.dev/about",
                "Written by the Lumen operator from the LumenProjectBindings for its admission"
                    + " policy; edits are overwritten.")
            .endMetadata()
            .withData(data)
            .build();
    if (current == null) {
      resource.create(wanted);
    } else {
      // A merge patch would keep keys of removed bindings; the whole data is replaced instead.
      resource.patch(
          PatchContext.of(PatchType.JSON),
          "[{\"op\":\"add\",\"path\":\"/data\",\"value\":"
              + client.getKubernetesSerialization().asJson(data)
              + "}]");
    }
    LOG.info("Admission map {}/{}: {} namespace and binding pairs", namespace, name, data.size());
  }

  private static Map<String, String> labelsOf(Namespace namespace) {
    return orEmpty(namespace.getMetadata().getLabels());
  }

  private static Map<String, String> orEmpty(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
