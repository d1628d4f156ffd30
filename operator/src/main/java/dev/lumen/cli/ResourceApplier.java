package dev.lumen.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lumen.api.v1alpha1.LumenProjectBinding;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates or updates the resources of manifest files, like {@code kubectl apply -f}. */
public final class ResourceApplier {
  private static final Logger LOG = LoggerFactory.getLogger(ResourceApplier.class);

  /** Kinds without a namespace that a manifest for Lumen may hold. */
  private static final Set<String> CLUSTER_SCOPED =
      Set.of(HasMetadata.getKind(LumenProjectBinding.class), "Namespace");

  private final KubernetesClient client;
  private final String defaultNamespace;

  public ResourceApplier(KubernetesClient client, String defaultNamespace) {
    this.client = client;
    this.defaultNamespace = defaultNamespace;
  }

  /** Applies every document of the files and returns what was applied. */
  public List<HasMetadata> apply(List<Path> paths) throws IOException {
    List<HasMetadata> applied = new ArrayList<>();
    List<JsonNode> documents = new ArrayList<>();
    for (Path file : Manifests.expand(paths)) {
      for (var document : Manifests.read(file)) {
        if (!document.readable()) {
          throw new IllegalArgumentException(document.file() + ": " + document.error());
        }
        if (Manifests.isScenario(document.content())) {
          LOG.info(
              "{}: a simulation scenario, not applied; run it with: ./lumen demo --scenario {}",
              file,
              file);
          continue;
        }
        documents.add(document.content());
      }
    }
    // Bindings first, as they allow the resources after them (as Helm orders kinds).
    documents.sort(Comparator.comparing(d -> !CLUSTER_SCOPED.contains(d.path("kind").asText())));
    for (JsonNode document : documents) {
      applied.add(apply(document));
    }
    return applied;
  }

  private HasMetadata apply(JsonNode manifest) {
    var resource =
        client.getKubernetesSerialization().convertValue(manifest, GenericKubernetesResource.class);
    if (resource.getMetadata().getNamespace() == null
        && !CLUSTER_SCOPED.contains(resource.getKind())) {
      resource.getMetadata().setNamespace(defaultNamespace);
    }
    return client.resource(resource).createOr(NonDeletingOperation::update);
  }
}
