package dev.lumen.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.LumenProjectBinding;
import dev.lumen.api.v1alpha1.SLOTarget;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The OpenAPI schemas of the committed CRDs, read from the jar; the same files users install, so
 * offline checks and the API server agree.
 */
public final class CrdSchemas {
  private final Map<String, JsonNode> schemaByKind = new LinkedHashMap<>();

  private CrdSchemas() {}

  /** Loads the schemas of Lumen's kinds from the classpath. */
  public static CrdSchemas load() {
    var schemas = new CrdSchemas();
    var yaml = new ObjectMapper(new YAMLFactory());
    for (Class<? extends HasMetadata> kind :
        List.of(LumenPolicy.class, SLOTarget.class, LumenProjectBinding.class)) {
      String resource = "/dev/lumen/crds/" + HasMetadata.getFullResourceName(kind) + "-v1.yml";
      try (InputStream in = CrdSchemas.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("CRD " + resource + " is missing from the classpath");
        }
        JsonNode crd = yaml.readTree(in);
        schemas.schemaByKind.put(
            HasMetadata.getKind(kind), crd.at("/spec/versions/0/schema/openAPIV3Schema"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return schemas;
  }

  public Optional<JsonNode> schemaOf(String kind) {
    return Optional.ofNullable(schemaByKind.get(kind));
  }

  public Iterable<String> kinds() {
    return schemaByKind.keySet();
  }
}
