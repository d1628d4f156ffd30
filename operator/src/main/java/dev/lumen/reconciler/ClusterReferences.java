package dev.lumen.reconciler;

import dev.lumen.api.v1alpha1.HttpAuthorization;
import dev.lumen.api.v1alpha1.NotificationsSpec;
import dev.lumen.api.v1alpha1.SecretKeyReference;
import dev.lumen.notify.SlackChannels;
import dev.lumen.validation.References;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Answers reference checks from the cluster, for one reconcile: SLOTargets from the operator's
 * informer cache, and Secrets by a direct GET (the operator may get named Secrets but does not list
 * or watch them). Each Secret is read once per reconcile, for the check and for its values alike;
 * values are never logged.
 */
public final class ClusterReferences implements References {
  private final BiPredicate<String, String> sloTargetExists;
  private final KubernetesClient client;
  private final Map<String, Optional<Secret>> secrets = new HashMap<>();

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

  @Override
  public Optional<Set<String>> secretKeys(String namespace, String name) {
    return secret(namespace, name)
        .map(
            secret -> {
              Set<String> keys = new HashSet<>();
              if (secret.getData() != null) {
                keys.addAll(secret.getData().keySet());
              }
              if (secret.getStringData() != null) {
                keys.addAll(secret.getStringData().keySet());
              }
              return keys;
            });
  }

  @Override
  public Optional<String> secretValue(String namespace, SecretKeyReference ref) {
    if (ref == null) {
      return Optional.empty();
    }
    return secret(namespace, ref.name())
        .flatMap(
            secret -> {
              if (secret.getStringData() != null && secret.getStringData().containsKey(ref.key())) {
                return Optional.of(secret.getStringData().get(ref.key()).trim());
              }
              if (secret.getData() != null && secret.getData().containsKey(ref.key())) {
                byte[] value = Base64.getDecoder().decode(secret.getData().get(ref.key()));
                return Optional.of(new String(value, StandardCharsets.UTF_8).trim());
              }
              return Optional.empty();
            });
  }

  /**
   * The Authorization header that credentials stand for: {@code Bearer TOKEN} or {@code Basic
   * base64(user:password)}; empty without credentials or while a Secret is missing (validation
   * reports that).
   */
  public Optional<String> authorization(String namespace, HttpAuthorization auth) {
    if (auth == null) {
      return Optional.empty();
    }
    if (auth.bearerTokenSecretRef() != null) {
      return secretValue(namespace, auth.bearerTokenSecretRef()).map(token -> "Bearer " + token);
    }
    if (auth.basicAuth() != null) {
      return secretValue(namespace, auth.basicAuth().passwordSecretRef())
          .map(
              password ->
                  "Basic "
                      + Base64.getEncoder()
                          .encodeToString(
                              (auth.basicAuth().username() + ":" + password)
                                  .getBytes(StandardCharsets.UTF_8)));
    }
    return Optional.empty();
  }

  /** A URL from a Secret; empty when it is missing or not a URL. */
  /** The webhooks of {@code spec.notifications.slack}, as far as their Secrets hold URLs. */
  public SlackChannels slackChannels(String namespace, NotificationsSpec notifications) {
    var slack = notifications == null ? null : notifications.slack();
    if (slack == null) {
      return SlackChannels.NONE;
    }
    return new SlackChannels(
        secretUrl(namespace, slack.webhookSecretRef()),
        secretUrl(namespace, slack.warningWebhookSecretRef()),
        secretUrl(namespace, slack.criticalWebhookSecretRef()));
  }

  public Optional<URI> secretUrl(String namespace, SecretKeyReference ref) {
    return secretValue(namespace, ref)
        .flatMap(
            value -> {
              try {
                return Optional.of(URI.create(value));
              } catch (IllegalArgumentException e) {
                return Optional.empty();
              }
            });
  }

  private Optional<Secret> secret(String namespace, String name) {
    return secrets.computeIfAbsent(
        namespace + "/" + name,
        key -> Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get()));
  }
}
