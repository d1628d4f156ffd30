package dev.lumen.tenancy;

import dev.lumen.api.v1alpha1.LumenProjectBinding;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Reconciles a reconciler's resources when a LumenProjectBinding is created, changed or deleted, so
 * a new binding takes effect at once instead of at the next recheck. Bindings are few and change
 * seldom, so every resource is looked at again; each then checks its own binding.
 */
public final class BindingEvents {
  public static final String NAME = "lumenprojectbindings";

  private BindingEvents() {}

  /** The event source, or none in the single-team mode (which reads no bindings). */
  public static <P extends HasMetadata> List<EventSource<?, P>> of(
      Tenancy tenancy, Class<P> primary, EventSourceContext<P> context) {
    if (!(tenancy instanceof ProjectBindings)) {
      return List.of();
    }
    var configuration =
        InformerEventSourceConfiguration.from(LumenProjectBinding.class, primary)
            .withName(NAME)
            .withSecondaryToPrimaryMapper(
                binding ->
                    context
                        .getPrimaryCache()
                        .list()
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            // The operator writes each binding's status; only a new spec changes what it allows.
            .withOnUpdateFilter(
                (next, previous) -> !Objects.equals(next.getSpec(), previous.getSpec()))
            .build();
    return List.of(new InformerEventSource<>(configuration, context));
  }
}
