package dev.lumen.reconciler;

import dev.lumen.api.v1alpha1.SecretKeyReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** Reads one key of a Secret in the resource's namespace; the value is never logged. */
public final class Secrets {
  private Secrets() {}

  public static Optional<String> value(
      KubernetesClient client, String namespace, SecretKeyReference ref) {
    if (ref == null) {
      return Optional.empty();
    }
    Secret secret = client.secrets().inNamespace(namespace).withName(ref.name()).get();
    if (secret == null) {
      return Optional.empty();
    }
    if (secret.getStringData() != null && secret.getStringData().containsKey(ref.key())) {
      return Optional.of(secret.getStringData().get(ref.key()).trim());
    }
    if (secret.getData() != null && secret.getData().containsKey(ref.key())) {
      return Optional.of(
          new String(
                  Base64.getDecoder().decode(secret.getData().get(ref.key())),
                  StandardCharsets.UTF_8)
              .trim());
    }
    return Optional.empty();
  }

  /** A URL from a Secret; empty when it is missing or not a URL. */
  public static Optional<URI> url(
      KubernetesClient client, String namespace, SecretKeyReference ref) {
    return value(client, namespace, ref)
        .flatMap(
            v -> {
              try {
                return Optional.of(URI.create(v));
              } catch (IllegalArgumentException e) {
                return Optional.empty();
              }
            });
  }
}
