package dev.lumen.reconciler;

import dev.lumen.engine.rollout.Command;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Steering annotations (kubectl annotate lp NAME lumen.dev/approve=), read as commands and removed
 * once acted on. Any value counts; the key is the command.
 */
public final class Steering {
  private Steering() {}

  public static Set<Command> commands(HasMetadata resource) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    Set<Command> commands = EnumSet.noneOf(Command.class);
    if (annotations != null) {
      annotations.keySet().forEach(key -> Command.fromAnnotation(key).ifPresent(commands::add));
    }
    return commands;
  }

  /** Removes {@code annotations} from the live resource (a JSON patch of its metadata). */
  public static <P extends HasMetadata> void remove(
      KubernetesClient client, P resource, List<String> annotations) {
    if (annotations.isEmpty()) {
      return;
    }
    @SuppressWarnings("unchecked")
    Class<P> type = (Class<P>) resource.getClass();
    client
        .resources(type)
        .inNamespace(resource.getMetadata().getNamespace())
        .withName(resource.getMetadata().getName())
        .edit(
            live -> {
              if (live.getMetadata().getAnnotations() != null) {
                annotations.forEach(live.getMetadata().getAnnotations()::remove);
              }
              return live;
            });
  }
}
