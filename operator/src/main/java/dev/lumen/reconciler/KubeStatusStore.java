package dev.lumen.reconciler;

import dev.lumen.cycle.StatusStore;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A resource's status on the API server, for one reconcile: each write replaces the status (with
 * the resourceVersion read) and the written resource is what the next write and the next reconcile
 * start from (see {@link StatusWriter}).
 */
public final class KubeStatusStore<P extends HasMetadata, S> implements StatusStore<S> {
  private final Context<P> context;
  private final Function<P, S> getStatus;
  private final BiConsumer<P, S> setStatus;
  private P resource;

  public KubeStatusStore(
      P resource, Context<P> context, Function<P, S> getStatus, BiConsumer<P, S> setStatus) {
    this.resource = resource;
    this.context = context;
    this.getStatus = getStatus;
    this.setStatus = setStatus;
  }

  /** The resource as last read or written. */
  public P resource() {
    return resource;
  }

  @Override
  public S current() {
    return getStatus.apply(resource);
  }

  @Override
  public S write(S next) {
    try {
      resource =
          StatusWriter.write(resource, current(), next, context, r -> setStatus.accept(r, next));
    } catch (KubernetesClientException e) {
      throw translated(e);
    }
    return current();
  }

  /**
   * No answer (no HTTP code), throttled or a server error: the API server is out, which the cycle
   * treats apart from a conflict or a refusal.
   */
  static RuntimeException translated(KubernetesClientException e) {
    if (e.getCode() <= 0 || e.getCode() == 429 || e.getCode() >= 500) {
      return new Unreachable("status not written: " + e.getMessage(), e);
    }
    return e;
  }
}
