package dev.lumen.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import org.slf4j.MDC;

/**
 * The resource a reconcile thread works on, as log labels (kind, namespace, name): the JSON log
 * format writes them as Cloud Logging's {@code logging.googleapis.com/labels}, so every line of a
 * reconcile can be found by the resource.
 */
public final class LogLabels implements AutoCloseable {
  private LogLabels() {}

  public static LogLabels of(HasMetadata resource) {
    MDC.put(
        "kind",
        resource.getKind() != null ? resource.getKind() : resource.getClass().getSimpleName());
    MDC.put("namespace", String.valueOf(resource.getMetadata().getNamespace()));
    MDC.put("name", resource.getMetadata().getName());
    return new LogLabels();
  }

  @Override
  public void close() {
    MDC.remove("kind");
    MDC.remove("namespace");
    MDC.remove("name");
  }
}
