package dev.lumen.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Replaces a resource's status (PUT /status with its resourceVersion) and puts the result in the
 * operator's cache, so the next reconcile starts from what was written, never from an older copy:
 * the rollout's memory is its status, and deciding from a stale one could repeat a step.
 */
public final class StatusWriter {
  private StatusWriter() {}

  /**
   * @param setStatus puts the new status on the resource it is given
   * @return the resource as written, or {@code resource} when the status did not change
   */
  public static <P extends HasMetadata> P write(
      P resource, Object oldStatus, Object newStatus, Context<P> context, Consumer<P> setStatus) {
    if (oldStatus != null
        && Objects.equals(Serialization.asJson(oldStatus), Serialization.asJson(newStatus))) {
      return resource;
    }
    return PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(
        resource,
        context,
        r -> {
          setStatus.accept(r);
          return r;
        });
  }
}
