package dev.lumen.tenancy;

import dev.lumen.api.v1alpha1.LumenProjectBinding;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Map;
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

  @Override
  public void close() {
    informer.close();
  }
}
