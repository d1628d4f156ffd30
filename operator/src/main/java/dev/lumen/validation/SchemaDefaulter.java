package dev.lumen.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Applies the schema's defaults the way the API server does for structural schemas: a missing (or
 * null) field with a default gets it, then defaulting continues inside it. Running it where no API
 * server did (files, the mock server) gives the reconcilers the same spec a cluster would.
 */
final class SchemaDefaulter {
  private SchemaDefaulter() {}

  static void apply(JsonNode schema, JsonNode value) {
    if (value instanceof ObjectNode object && schema.has("properties")) {
      Iterator<Map.Entry<String, JsonNode>> properties = schema.get("properties").fields();
      while (properties.hasNext()) {
        Map.Entry<String, JsonNode> property = properties.next();
        String name = property.getKey();
        JsonNode propertySchema = property.getValue();
        if (object.has(name) && object.get(name).isNull()) {
          object.remove(name);
        }
        if (!object.has(name) && propertySchema.has("default")) {
          object.set(name, propertySchema.get("default").deepCopy());
        }
        if (object.has(name)) {
          apply(propertySchema, object.get(name));
        }
      }
    } else if (value instanceof ArrayNode array && schema.has("items")) {
      for (JsonNode item : array) {
        apply(schema.get("items"), item);
      }
    }
  }
}
