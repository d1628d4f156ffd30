package dev.lumen.reconciler;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.lumen.engine.rollout.Command;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Steering annotations (kubectl annotate lp NAME lumen.dev/approve=), read as commands and removed
 * once acted on. The key is the command; its value must be empty or "true".
 */
public final class Steering {
  /** The prefix of every steering annotation. */
  private static final String PREFIX = "lumen.dev/";

  private static final String ANNOTATIONS = "/metadata/annotations/";
  private static final String COMMAND_LIST =
      String.join(", ", Arrays.stream(Command.values()).map(Command::annotation).toList());

  private Steering() {}

  /**
   * The commands the resource's annotations give: a command annotation counts when its value is
   * empty ({@code kubectl annotate lp NAME lumen.dev/approve=}) or {@code "true"}. Any other value,
   * such as {@code "false"}, gives no command: reading "promote: false" as "promote" would be the
   * opposite of what the person wrote.
   */
  public static Set<Command> commands(HasMetadata resource) {
    Set<Command> commands = EnumSet.noneOf(Command.class);
    annotations(resource)
        .forEach(
            (key, value) ->
                Command.fromAnnotation(key).filter(c -> counts(value)).ifPresent(commands::add));
    return commands;
  }

  /**
   * What a person may have meant and Lumen does not do, one sentence each: a command annotation
   * with another value than empty or "true", and an unknown {@code lumen.dev/} annotation (a typo
   * such as {@code lumen.dev/aprove} would otherwise wait for ever, silently).
   */
  public static List<String> ignored(HasMetadata resource) {
    List<String> ignored = new ArrayList<>();
    annotations(resource)
        .forEach(
            (key, value) -> {
              if (!key.startsWith(PREFIX)) {
                return;
              }
              if (Command.fromAnnotation(key).isEmpty()) {
                ignored.add(
                    key
                        + " is not a Lumen command and is ignored; the commands are "
                        + COMMAND_LIST
                        + " (remove it: kubectl annotate lp NAME "
                        + key
                        + "-)");
              } else if (!counts(value)) {
                ignored.add(
                    key
                        + "=\""
                        + value
                        + "\" is ignored: a command counts when its value is empty or \"true\" (remove"
                        + " it: kubectl annotate lp NAME "
                        + key
                        + "-)");
              }
            });
    return ignored;
  }

  private static boolean counts(String value) {
    return value == null || value.isEmpty() || value.equalsIgnoreCase("true");
  }

  private static Map<String, String> annotations(HasMetadata resource) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    return annotations == null ? Map.of() : new TreeMap<>(annotations);
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
