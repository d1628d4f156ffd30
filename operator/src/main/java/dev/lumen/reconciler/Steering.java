package dev.lumen.reconciler;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.lumen.engine.rollout.Command;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Steering annotations (kubectl annotate lp NAME lumen.dev/approve=), read as commands and removed
 * once acted on. Any value counts; the key is the command.
 */
public final class Steering {
  private static final String ANNOTATIONS = "/metadata/annotations/";

  private Steering() {}

  public static Set<Command> commands(HasMetadata resource) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    Set<Command> commands = EnumSet.noneOf(Command.class);
    if (annotations != null) {
      annotations.keySet().forEach(key -> Command.fromAnnotation(key).ifPresent(commands::add));
    }
    return commands;
  }

  /**
   * Removes {@code annotations} from the live resource with a JSON patch that carries no
   * resourceVersion, like {@code kubectl annotate KEY-}: a status write or a person's annotation
   * landing at the same moment must not make the removal fail with a conflict. (A JSON patch rather
   * than a merge patch with nulls, which fabric8's embedded server stores as null values.)
   *
   * <p>Idempotent: only the keys the resource still has are removed, since an API server answers
   * 422 to a JSON patch that removes a missing key (a restart repeats the removal, a person may
   * have removed the key first). When a key goes between the read and the patch, the removal is
   * read and tried once more.
   */
  public static <P extends HasMetadata> void remove(
      KubernetesClient client, P resource, List<String> annotations) {
    if (annotations.isEmpty()) {
      return;
    }
    @SuppressWarnings("unchecked")
    Class<P> type = (Class<P>) resource.getClass();
    var live =
        client
            .resources(type)
            .inNamespace(resource.getMetadata().getNamespace())
            .withName(resource.getMetadata().getName());
    for (int attempt = 1; ; attempt++) {
      P current = live.get();
      Map<String, String> present =
          current == null || current.getMetadata().getAnnotations() == null
              ? Map.of()
              : current.getMetadata().getAnnotations();
      ArrayNode patch = JsonNodeFactory.instance.arrayNode();
      annotations.stream()
          .filter(present::containsKey)
          .forEach(
              key ->
                  patch
                      .addObject()
                      .put("op", "remove")
                      .put("path", ANNOTATIONS + pointerToken(key)));
      if (patch.isEmpty()) {
        return;
      }
      try {
        live.patch(PatchContext.of(PatchType.JSON), patch.toString());
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 422 || attempt == 2) {
          throw e;
        }
      }
    }
  }

  /** RFC 6901: annotation keys hold '/', which a JSON pointer spells "~1" (and '~' as "~0"). */
  private static String pointerToken(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
