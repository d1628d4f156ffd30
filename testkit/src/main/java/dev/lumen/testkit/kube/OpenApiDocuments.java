package dev.lumen.testkit.kube;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lumen.testkit.kube.ApiDiscovery.Resource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The OpenAPI documents kubectl reads, made from the CRDs' schemas: v3 per group version ({@code
 * kubectl explain}, and whether the server validates fields itself, so that {@code apply} sends
 * {@code fieldValidation} instead of validating in the client), and v2 in JSON for older clients.
 */
final class OpenApiDocuments {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final String OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

  private final ApiDiscovery discovery;

  OpenApiDocuments(ApiDiscovery discovery) {
    this.discovery = discovery;
  }

  /** The name a real server gives a kind's schema: the group reversed, version, kind. */
  static String schemaName(Resource r) {
    if (r.group().isEmpty()) {
      return "io.k8s.api.core." + r.version() + "." + r.kind();
    }
    List<String> parts = new java.util.ArrayList<>(List.of(r.group().split("\\.")));
    java.util.Collections.reverse(parts);
    return String.join(".", parts) + "." + r.version() + "." + r.kind();
  }

  /** {@code GET /openapi/v3}: where each group version's document is. */
  ObjectNode v3Index() {
    ObjectNode index = JSON.objectNode();
    ObjectNode paths = index.putObject("paths");
    for (String path : groupVersionPaths().keySet()) {
      paths
          .putObject(path)
          .put(
              "serverRelativeURL",
              "/openapi/v3/" + path + "?hash=" + hash(v3(path).orElseThrow().toString()));
    }
    return index;
  }

  /** {@code GET /openapi/v3/apis/GROUP/VERSION} (or {@code api/v1}). */
  Optional<ObjectNode> v3(String groupVersionPath) {
    List<Resource> served = groupVersionPaths().get(groupVersionPath);
    if (served == null) {
      return Optional.empty();
    }
    ObjectNode doc = JSON.objectNode().put("openapi", "3.0.0");
    doc.putObject("info").put("title", "Kubernetes").put("version", EmbeddedApiServer.VERSION);
    ObjectNode paths = doc.putObject("paths");
    ObjectNode schemas = doc.putObject("components").putObject("schemas");
    schemas.set(OBJECT_META, objectMeta());
    for (Resource r : served) {
      schemas.set(schemaName(r), schema(r, "#/components/schemas/"));
      addPaths(paths, r);
    }
    return Optional.of(doc);
  }

  /** {@code GET /openapi/v2} in JSON. */
  ObjectNode v2() {
    ObjectNode doc = JSON.objectNode().put("swagger", "2.0");
    doc.putObject("info").put("title", "Kubernetes").put("version", EmbeddedApiServer.VERSION);
    doc.putObject("paths");
    ObjectNode definitions = doc.putObject("definitions");
    definitions.set(OBJECT_META, objectMeta());
    for (Resource r : discovery.resources()) {
      ObjectNode schema = schema(r, "#/definitions/");
      if (r.definition().isEmpty()) {
        // Older kubectl ignores x-kubernetes-preserve-unknown-fields: an object without
        // properties is one it takes as it comes.
        schema.remove("properties");
      } else {
        // Older kubectl reads no allOf: a plain reference, as real servers write v2.
        ((ObjectNode) schema.get("properties"))
            .putObject("metadata")
            .put("$ref", "#/definitions/" + OBJECT_META);
      }
      definitions.set(schemaName(r), schema);
    }
    return doc;
  }

  private Map<String, List<Resource>> groupVersionPaths() {
    Map<String, List<Resource>> byPath = new TreeMap<>();
    for (Resource r : discovery.resources()) {
      String path = r.group().isEmpty() ? "api/" + r.version() : "apis/" + r.groupVersion();
      byPath.computeIfAbsent(path, p -> new java.util.ArrayList<>()).add(r);
    }
    return byPath;
  }

  private static ObjectNode gvk(Resource r) {
    return JSON.objectNode()
        .put("group", r.group())
        .put("version", r.version())
        .put("kind", r.kind());
  }

  private static ObjectNode schema(Resource r, String refPrefix) {
    ObjectNode schema =
        r.definition()
            .flatMap(
                crd ->
                    crd.getSpec().getVersions().stream()
                        .filter(v -> v.getName().equals(r.version()))
                        .findFirst())
            .filter(v -> v.getSchema() != null && v.getSchema().getOpenAPIV3Schema() != null)
            .map(
                v ->
                    (ObjectNode)
                        Serialization.jsonMapper().valueToTree(v.getSchema().getOpenAPIV3Schema()))
            .orElseGet(
                () ->
                    JSON.objectNode()
                        .put("type", "object")
                        .put("x-kubernetes-preserve-unknown-fields", true));
    schema.put("type", "object");
    if (!schema.has("description")) {
      schema.put("description", r.kind() + " (" + r.groupVersion() + ")");
    }
    ObjectNode properties =
        schema.has("properties")
            ? (ObjectNode) schema.get("properties")
            : schema.putObject("properties");
    properties
        .putObject("apiVersion")
        .put("type", "string")
        .put(
            "description",
            "APIVersion defines the versioned schema of this representation of an object.");
    properties
        .putObject("kind")
        .put("type", "string")
        .put(
            "description",
            "Kind is a string value representing the REST resource this object represents.");
    ObjectNode metadata = properties.putObject("metadata");
    metadata.put("description", "Standard object's metadata.");
    metadata.putArray("allOf").addObject().put("$ref", refPrefix + OBJECT_META);
    schema.putArray("x-kubernetes-group-version-kind").add(gvk(r));
    return schema;
  }

  private static void addPaths(ObjectNode paths, Resource r) {
    String collection =
        r.apiPrefix() + (r.namespaced() ? "/namespaces/{namespace}/" : "/") + r.plural();
    ObjectNode list = paths.putObject(collection);
    list.set("get", operation(r, "list", List.of()));
    list.set("post", operation(r, "post", List.of("dryRun", "fieldManager", "fieldValidation")));
    ObjectNode item = paths.putObject(collection + "/{name}");
    item.set("get", operation(r, "get", List.of()));
    item.set("put", operation(r, "put", List.of("dryRun", "fieldManager", "fieldValidation")));
    item.set(
        "patch",
        operation(r, "patch", List.of("dryRun", "fieldManager", "fieldValidation", "force")));
    item.set("delete", operation(r, "delete", List.of("dryRun")));
  }

  private static ObjectNode operation(Resource r, String action, List<String> queryParameters) {
    ObjectNode operation = JSON.objectNode().put("operationId", action + r.kind());
    ArrayNode parameters = operation.putArray("parameters");
    for (String name : queryParameters) {
      parameters
          .addObject()
          .put("name", name)
          .put("in", "query")
          .putObject("schema")
          .put("type", "string");
    }
    operation.putObject("responses").putObject("200").put("description", "OK");
    operation.put("x-kubernetes-action", action);
    operation.set("x-kubernetes-group-version-kind", gvk(r));
    return operation;
  }

  private static ObjectNode objectMeta() {
    ObjectNode meta =
        JSON.objectNode()
            .put("type", "object")
            .put(
                "description",
                "ObjectMeta is metadata that all persisted resources must have, which includes all"
                    + " objects users must create.");
    ObjectNode p = meta.putObject("properties");
    string(p, "name", "Name must be unique within a namespace.");
    string(p, "namespace", "Namespace defines the space within which each name must be unique.");
    string(p, "uid", "UID is the unique in time and space value for this object.");
    string(
        p,
        "resourceVersion",
        "An opaque value that represents the internal version of this object.");
    string(p, "creationTimestamp", "When this object was created (RFC 3339).");
    string(p, "deletionTimestamp", "When this object will be deleted (RFC 3339).");
    p.putObject("generation")
        .put("type", "integer")
        .put(
            "description",
            "A sequence number representing a specific generation of the desired state.");
    stringMap(
        p,
        "labels",
        "Map of string keys and values that can be used to organize and categorize objects.");
    stringMap(
        p,
        "annotations",
        "Unstructured key value map stored with a resource; Lumen reads its commands from lumen.dev/ keys.");
    ObjectNode finalizers = p.putObject("finalizers");
    finalizers
        .put("type", "array")
        .put("description", "Must be empty before the object is deleted from the registry.");
    finalizers.putObject("items").put("type", "string");
    string(p, "generateName", "An optional prefix the server uses to generate a unique name.");
    for (String list : List.of("ownerReferences", "managedFields")) {
      ObjectNode items =
          p.putObject(list)
              .put("type", "array")
              .put("description", "Kept by the API server and controllers.")
              .putObject("items");
      items.put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
    }
    return meta;
  }

  private static void string(ObjectNode properties, String name, String description) {
    properties.putObject(name).put("type", "string").put("description", description);
  }

  private static void stringMap(ObjectNode properties, String name, String description) {
    ObjectNode map =
        properties.putObject(name).put("type", "object").put("description", description);
    map.putObject("additionalProperties").put("type", "string");
  }

  private static String hash(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)))
          .toUpperCase(java.util.Locale.ROOT);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
