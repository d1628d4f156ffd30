package dev.lumen.tenancy;

import dev.lumen.api.v1alpha1.LumenProjectBinding;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The cluster's LumenProjectBindings, watched (an informer: each check reads memory), and the
 * labels of a namespace, read when a binding selects namespaces by label.
 */
public final class ClusterBindings implements AutoCloseable {
  private final SharedIndexInformer<LumenProjectBinding> informer;
  private final ProjectBindings bindings;

  private ClusterBindings(KubernetesClient client) {
    this.informer = client.resources(LumenProjectBinding.class).inform();
    this.bindings =
        new ProjectBindings(
            () -> informer.getStore().list(),
            namespace ->
                Optional.ofNullable(client.namespaces().withName(namespace).get())
                    .map(Namespace::getMetadata)
                    .map(m -> m.getLabels() == null ? Map.<String, String>of() : m.getLabels())
                    .orElse(Map.of()));
  }

  /** Starts watching; returns once the bindings are listed. */
  public static ClusterBindings watch(KubernetesClient client) {
    return new ClusterBindings(client);
  }

  public Tenancy tenancy() {
    return bindings;
  }

  /** Bindings known now. */
  public int count() {
    return informer.getStore().list().size();
  }

  /** The bindings known now. */
  public List<LumenProjectBinding> all() {
    return informer.getStore().list();
  }

  /**
   * Runs {@code action} whenever a binding is created, deleted or its spec changed; a new status
   * alone is not a change.
   */
  public void onSpecChange(Runnable action) {
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(LumenProjectBinding binding) {
            action.run();
          }

          @Override
          public void onUpdate(LumenProjectBinding before, LumenProjectBinding after) {
            if (!Objects.equals(before.getSpec(), after.getSpec())) {
              action.run();
            }
          }

          @Override
          public void onDelete(LumenProjectBinding binding, boolean unknownFinalState) {
            action.run();
          }
        });
  }

  @Override
  public void close() {
    informer.close();
  }
}
