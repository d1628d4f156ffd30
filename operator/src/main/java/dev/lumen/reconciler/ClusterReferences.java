package dev.lumen.reconciler;

import dev.lumen.validation.References;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Answers reference checks from the cluster, for one reconcile: SLOTargets from the operator's
 * informer cache, and Secrets by a direct GET (the operator may get named Secrets but does not list
 * or watch them).
 */
public final class ClusterReferences implements References {
  private final BiPredicate<String, String> sloTargetExists;
  private final KubernetesClient client;
  private final Map<String, Optional<Set<String>>> secrets = new HashMap<>();

  public ClusterReferences(BiPredicate<String, String> sloTargetExists, KubernetesClient client) {
    this.sloTargetExists = sloTargetExists;
    this.client = client;
  }

  @Override
  public boolean sloTargetExists(String namespace, String name) {
    return sloTargetExists.test(namespace, name);
  }

  @Override
  public boolean seesSecrets() {
    return true;
  }

  /** Each Secret is read once per instance: a policy may name the same Secret twice. */
  @Override
  public Optional<Set<String>> secretKeys(String namespace, String name) {
    return secrets.computeIfAbsent(namespace + "/" + name, key -> read(namespace, name));
  }

  private Optional<Set<String>> read(String namespace, String name) {
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    if (secret == null) {
      return Optional.empty();
    }
    Set<String> keys = new HashSet<>();
    if (secret.getData() != null) {
      keys.addAll(secret.getData().keySet());
    }
    if (secret.getStringData() != null) {
      keys.addAll(secret.getStringData().keySet());
    }
    return Optional.of(keys);
  }
}
