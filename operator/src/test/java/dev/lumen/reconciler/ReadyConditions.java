package dev.lumen.reconciler;

import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.testkit.Await;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Optional;

/** The Ready condition of Lumen's resources as the API server holds it, for tests. */
public final class ReadyConditions {
  private ReadyConditions() {}

  /** Waits until the resource's Ready condition has {@code status} and returns it. */
  public static <T extends HasMetadata> Condition await(
      KubernetesClient client,
      Class<T> kind,
      String namespace,
      String name,
      Condition.Status status) {
    return Await.until(
            () -> of(client, kind, namespace, name),
            c -> c.isPresent() && c.get().status() == status,
            kind.getSimpleName() + " " + namespace + "/" + name + " Ready=" + status)
        .orElseThrow();
  }

  /** The resource's Ready condition now, if it has one. */
  public static <T extends HasMetadata> Optional<Condition> of(
      KubernetesClient client, Class<T> kind, String namespace, String name) {
    HasMetadata resource = client.resources(kind).inNamespace(namespace).withName(name).get();
    List<Condition> conditions =
        resource instanceof SLOTarget t && t.getStatus() != null
            ? t.getStatus().getConditions()
            : resource instanceof LumenPolicy p && p.getStatus() != null
                ? p.getStatus().getConditions()
                : List.of();
    return conditions.stream().filter(c -> c.type().equals(Conditions.READY)).findFirst();
  }
}
