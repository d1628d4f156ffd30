package dev.lumen.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.FormatHints;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Checks a resource against a CRD's OpenAPI schema: types, required fields, enums, patterns,
 * bounds, and unknown fields (which the API server rejects under kubectl's strict field
 * validation).
 */
final class OpenApiSchemaCheck {
  private final ObjectNode strictSchema;
  private final JsonSchema schema;

  OpenApiSchemaCheck(JsonNode crdSchema) {
    ObjectNode strict = crdSchema.deepCopy();
    closeObjects(strict);
    // The generated root schema lists only spec and status; the envelope is the API server's.
    ObjectNode properties = (ObjectNode) strict.get("properties");
    properties.putObject("apiVersion").put("type", "string");
    properties.putObject("kind").put("type", "string");
    properties.putObject("metadata").put("type", "object");
    var config = SchemaValidatorsConfig.builder().pathType(PathType.JSON_PATH).build();
    this.strictSchema = strict;
    this.schema =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(strict, config);
  }

  List<Violation> check(JsonNode resource) {
    ObjectNode withoutStatus = resource.deepCopy();
    withoutStatus.remove("status");
    List<Violation> violations = new ArrayList<>();
    for (ValidationMessage message : schema.validate(withoutStatus)) {
      violations.add(toViolation(message));
    }
    violations.sort(Comparator.comparing(Violation::field).thenComparing(Violation::message));
    return violations;
  }

  /** Forbids unknown fields and drops the Kubernetes extensions the JSON Schema engine ignores. */
  private static void closeObjects(JsonNode node) {
    if (!(node instanceof ObjectNode object)) {
      if (node != null && node.isArray()) {
        node.forEach(OpenApiSchemaCheck::closeObjects);
      }
      return;
    }
    object.remove("x-kubernetes-validations");
    if (object.has("properties") && !object.has("x-kubernetes-preserve-unknown-fields")) {
      object.put("additionalProperties", false);
    }
    object.remove("x-kubernetes-preserve-unknown-fields");
    if (object.has("properties")) {
      object.get("properties").forEach(OpenApiSchemaCheck::closeObjects);
    }
    closeObjects(object.get("items"));
  }

  private Violation toViolation(ValidationMessage m) {
    String path = fieldPath(m.getInstanceLocation().toString());
    JsonNode value = m.getInstanceNode();
    JsonNode rule = m.getSchemaNode();
    String message =
        switch (m.getType()) {
          case "required" -> {
            path = join(path, m.getProperty());
            yield "required field is missing; add it";
          }
          case "additionalProperties" -> {
            path = join(path, m.getProperty());
            yield "unknown field; the fields allowed here are "
                + knownFields(m.getInstanceLocation());
          }
          case "type" -> "must be " + article(rule.asText()) + ", not " + describe(value);
          case "enum" ->
              "unsupported value "
                  + value
                  + "; use one of: "
                  + StreamSupport.stream(rule.spliterator(), false)
                      .map(JsonNode::asText)
                      .collect(Collectors.joining(", "));
          case "pattern" ->
              "invalid value " + value + "; expected " + FormatHints.describe(rule.asText());
          case "minimum" -> "must be at least " + number(rule) + " (got " + value + ")";
          case "maximum" -> "must be at most " + number(rule) + " (got " + value + ")";
          case "minLength" -> "must not be empty (at least " + rule.asInt() + " characters)";
          case "maxLength" ->
              "is too long: "
                  + value.asText().length()
                  + " characters, at most "
                  + rule.asInt()
                  + " allowed";
          case "minItems" -> "must have at least " + rule.asInt() + " entries";
          case "maxItems" ->
              "has " + value.size() + " entries, at most " + rule.asInt() + " allowed";
          default -> m.getMessage().replaceFirst("^\\S+: ", "");
        };
    return new Violation(path, message, Conditions.REASON_INVALID_SPEC);
  }

  /** The fields the schema allows at the instance location, found by walking the schema. */
  private String knownFields(JsonNodePath location) {
    JsonNode node = strictSchema;
    for (int i = 0; i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      node =
          element instanceof Integer
              ? node.path("items")
              : node.path("properties").path(element.toString());
    }
    List<String> names = new ArrayList<>();
    node.path("properties").fieldNames().forEachRemaining(names::add);
    names.sort(String::compareTo);
    return String.join(", ", names);
  }

  static String fieldPath(String jsonPath) {
    String path = jsonPath.startsWith("$") ? jsonPath.substring(1) : jsonPath;
    return path.startsWith(".") ? path.substring(1) : path;
  }

  private static String join(String path, String property) {
    return path.isEmpty() ? property : path + "." + property;
  }

  private static String article(String type) {
    return switch (type) {
      case "integer" -> "an integer";
      case "object" -> "an object";
      case "array" -> "a list";
      case "boolean" -> "true or false";
      default -> "a " + type;
    };
  }

  private static String describe(JsonNode value) {
    if (value == null || value.isNull()) {
      return "null";
    }
    return switch (value.getNodeType()) {
      case STRING -> "the string " + value;
      case NUMBER -> "the number " + value;
      case BOOLEAN -> value.asText();
      case ARRAY -> "a list";
      case OBJECT -> "an object";
      default -> value.toString();
    };
  }

  private static String number(JsonNode rule) {
    double v = rule.asDouble();
    return v == Math.rint(v) ? Long.toString((long) v) : rule.asText();
  }
}
