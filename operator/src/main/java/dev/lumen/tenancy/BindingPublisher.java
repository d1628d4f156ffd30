package dev.lumen.tenancy;

import dev.lumen.api.v1alpha1.LumenProjectBinding;
import dev.lumen.api.v1alpha1.ProjectBindingStatus;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes what the bindings mean now, at start, whenever a binding's spec changes, and every
 * {@link #REFRESH} for namespaces created or relabelled: each binding's status (the namespaces it
 * binds, Ready) and, when configured, the ConfigMap the admission policy reads ({@link
 * AdmissionMap}). A write is made only when the content differs, so several replicas agree without
 * coordination. Admission is the early, friendly refusal; the operator's check at every cycle stays
 * the authority, so a map a few seconds old costs at most a refusal at apply time that a retry
 * resolves.
 */
public final class BindingPublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BindingPublisher.class);

  /** How often namespaces are looked at again; binding changes are published at once. */
  public static final Duration REFRESH = Duration.ofSeconds(30);

  private final KubernetesClient client;
  private final Optional<AdmissionMap.Location> admissionMap;
  private final ClusterBindings bindings;
  private final Clock clock;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "lumen-bindings");
            thread.setDaemon(true);
            return thread;
          });

  private BindingPublisher(
      KubernetesClient client,
      Optional<AdmissionMap.Location> admissionMap,
      ClusterBindings bindings,
      Clock clock) {
    this.client = client;
    this.admissionMap = admissionMap;
    this.bindings = bindings;
    this.clock = clock;
  }

  /**
   * Publishes now and keeps publishing until closed.
   *
   * @param admissionMap the ConfigMap for the admission policy, if the chart ships one
   */
  public static BindingPublisher start(
      KubernetesClient client,
      Optional<AdmissionMap.Location> admissionMap,
      ClusterBindings bindings,
      Clock clock) {
    var publisher = new BindingPublisher(client, admissionMap, bindings, clock);
    publisher.executor.scheduleWithFixedDelay(
        publisher::publishQuietly, 0, REFRESH.toMillis(), TimeUnit.MILLISECONDS);
    bindings.onSpecChange(() -> publisher.executor.execute(publisher::publishQuietly));
    return publisher;
  }

  private void publishQuietly() {
    try {
      publish();
    } catch (RuntimeException e) {
      // Caught whatever it is: an exception would end the schedule for good.
      LOG.warn(
          "Could not publish the LumenProjectBindings' status or admission map: {}; trying again"
              + " within {} s",
          e.getMessage(),
          REFRESH.toSeconds());
    }
  }

  /** Writes what differs from what the cluster holds. */
  void publish() {
    Map<String, Map<String, String>> namespaces =
        client.namespaces().list().getItems().stream()
            .collect(
                Collectors.toMap(
                    n -> n.getMetadata().getName(), BindingPublisher::labelsOf, (a, b) -> a));
    List<LumenProjectBinding> all = bindings.all();
    for (LumenProjectBinding binding : all) {
      writeStatus(binding, namespaces);
    }
    admissionMap.ifPresent(map -> writeMap(map, AdmissionMap.of(all, namespaces)));
  }

  private void writeStatus(
      LumenProjectBinding binding, Map<String, Map<String, String>> namespaces) {
    ProjectBindingStatus wanted = BindingStatus.of(binding, namespaces, clock.instant());
    ProjectBindingStatus current = binding.getStatus();
    if (current != null
        && Objects.equals(current.namespaces(), wanted.namespaces())
        && Objects.equals(current.conditions(), wanted.conditions())
        && Objects.equals(current.observedGeneration(), wanted.observedGeneration())) {
      return;
    }
    var copy = client.getKubernetesSerialization().clone(binding);
    copy.setStatus(wanted);
    try {
      client.resource(copy).updateStatus();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409 && e.getCode() != 404) {
        throw e;
      }
      // Changed or deleted since the informer saw it; the change brings another publication.
    }
  }

  private void writeMap(AdmissionMap.Location map, Map<String, String> data) {
    var resource = client.configMaps().inNamespace(map.namespace()).withName(map.name());
    ConfigMap current = resource.get();
    if (current != null && Objects.equals(orEmpty(current.getData()), data)) {
      return;
    }
    ConfigMap wanted =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(map.name())
            .withNamespace(map.namespace())
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
    LOG.info(
        "Admission map {}/{}: {} namespace and binding pairs",
        map.namespace(),
        map.name(),
        data.size());
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
