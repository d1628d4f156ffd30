package dev.lumen.runtime;

import dev.lumen.api.v1alpha1.LumenResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.Cloner;

/**
 * Copies resources from the informers' cache for the reconcilers, as java-operator-sdk's default
 * does (by serializing), and keeps the spec as stored, which serializing loses: without it a
 * resource whose spec the Java model cannot read would reach the validator with no spec at all.
 */
final class StoredSpecCloner implements Cloner {
  private final KubernetesSerialization serialization;

  StoredSpecCloner(KubernetesSerialization serialization) {
    this.serialization = serialization;
  }

  @Override
  public <R extends HasMetadata> R clone(R resource) {
    R copy = serialization.clone(resource);
    if (resource instanceof LumenResource<?, ?> original
        && copy instanceof LumenResource<?, ?> lumenCopy) {
      original.copyStoredSpecTo(lumenCopy);
    }
    return copy;
  }
}
