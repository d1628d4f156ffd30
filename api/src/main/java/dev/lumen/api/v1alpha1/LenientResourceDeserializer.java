package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * Reads a Lumen resource whatever its spec holds, and keeps the spec as stored for the validator. A
 * spec that does not fit the Java model (a word where a number belongs, an enum value that does not
 * exist) leaves the model's spec null instead of failing the read: one such resource would
 * otherwise stop the informer that lists every resource of its kind, and with it the operator. Only
 * a cluster whose CRD does not check the schema (an older CRD, the embedded API server) stores such
 * a spec.
 */
abstract class LenientResourceDeserializer<S, T, R extends LumenResource<S, T>>
    extends StdDeserializer<R> {
  private final Supplier<R> factory;
  private final Class<S> specType;
  private final Class<T> statusType;

  LenientResourceDeserializer(
      Class<R> resourceType, Supplier<R> factory, Class<S> specType, Class<T> statusType) {
    super(resourceType);
    this.factory = factory;
    this.specType = specType;
    this.statusType = statusType;
  }

  @Override
  public R deserialize(JsonParser parser, DeserializationContext context) throws IOException {
    JsonNode tree = parser.readValueAsTree();
    R resource = factory.get();
    if (tree.hasNonNull("apiVersion")) {
      resource.setApiVersion(tree.get("apiVersion").asText());
    }
    if (tree.hasNonNull("kind")) {
      resource.setKind(tree.get("kind").asText());
    }
    if (tree.hasNonNull("metadata")) {
      resource.setMetadata(context.readTreeAsValue(tree.get("metadata"), ObjectMeta.class));
    }
    JsonNode spec = tree.get("spec");
    if (spec != null && !spec.isNull()) {
      try {
        resource.setSpec(context.readTreeAsValue(spec, specType));
        resource.keepStoredSpec(spec, null);
      } catch (IOException e) {
        resource.setSpec(null);
        resource.keepStoredSpec(spec, e.getMessage());
      }
    }
    JsonNode status = tree.get("status");
    if (status != null && !status.isNull()) {
      try {
        resource.setStatus(context.readTreeAsValue(status, statusType));
      } catch (IOException e) {
        // Lumen writes the status; one it cannot read (an edit by hand) is written anew.
        resource.setStatus(null);
      }
    }
    return resource;
  }
}
