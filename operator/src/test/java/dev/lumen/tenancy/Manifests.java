package dev.lumen.tenancy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/** Creates resources from YAML, as kubectl create would. */
final class Manifests {
  private Manifests() {}

  /** Creates every object of {@code yaml}, in {@code namespace} or, when null, cluster-scoped. */
  static void create(KubernetesClient client, String namespace, String yaml) {
    for (HasMetadata item :
        client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items()) {
      if (namespace == null) {
        client.resource(item).create();
      } else {
        client.resource(item).inNamespace(namespace).create();
      }
    }
  }
}
