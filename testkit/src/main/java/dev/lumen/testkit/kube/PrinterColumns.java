package dev.lumen.testkit.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import dev.lumen.testkit.kube.ApiDiscovery.Resource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Server-side printing: a list or object as the {@code meta.k8s.io/v1} Table kubectl asks for, with
 * the CRD's additional printer columns (a JSONPath each), as a real API server renders them.
 */
final class PrinterColumns {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Configuration JSON_PATH =
      Configuration.builder()
          .jsonProvider(new JacksonJsonNodeJsonProvider())
          .mappingProvider(new JacksonMappingProvider())
          .options(Option.SUPPRESS_EXCEPTIONS)
          .build();

  private final List<CustomResourceColumnDefinition> columns;
  private final Clock clock;

  PrinterColumns(Resource resource, Clock clock) {
    this.clock = clock;
    this.columns =
        resource
            .definition()
            .flatMap(
                crd ->
                    crd.getSpec().getVersions().stream()
                        .filter(v -> v.getName().equals(resource.version()))
                        .findFirst())
            .map(v -> v.getAdditionalPrinterColumns())
            .filter(c -> c != null && !c.isEmpty())
            .orElseGet(PrinterColumns::ageOnly);
  }

  private static List<CustomResourceColumnDefinition> ageOnly() {
    var age = new CustomResourceColumnDefinition();
    age.setName("Age");
    age.setType("date");
    age.setJsonPath(".metadata.creationTimestamp");
    return List.of(age);
  }

  /**
   * A table of the items of a list, or of one object; {@code includeObject} as the request asked
   * (None, Object, or the default Metadata).
   */
  ObjectNode table(JsonNode listOrObject, boolean withColumns, String includeObject) {
    ObjectNode table = JSON.objectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
    ObjectNode metadata = table.putObject("metadata");
    JsonNode sourceMeta = listOrObject.path("metadata");
    if (sourceMeta.has("resourceVersion")) {
      metadata.set("resourceVersion", sourceMeta.get("resourceVersion"));
    }
    if (listOrObject.has("items") && sourceMeta.has("continue")) {
      metadata.set("continue", sourceMeta.get("continue"));
    }
    ArrayNode definitions = table.putArray("columnDefinitions");
    if (withColumns) {
      definitions
          .addObject()
          .put("name", "Name")
          .put("type", "string")
          .put("format", "name")
          .put("description", "Name must be unique within a namespace.")
          .put("priority", 0);
      for (CustomResourceColumnDefinition column : columns) {
        definitions
            .addObject()
            .put("name", column.getName())
            .put("type", column.getType())
            .put("format", column.getFormat() == null ? "" : column.getFormat())
            .put("description", column.getDescription() == null ? "" : column.getDescription())
            .put("priority", column.getPriority() == null ? 0 : column.getPriority());
      }
    }
    ArrayNode rows = table.putArray("rows");
    List<JsonNode> objects = new ArrayList<>();
    if (listOrObject.has("items")) {
      listOrObject.get("items").forEach(objects::add);
    } else {
      objects.add(listOrObject);
    }
    for (JsonNode object : objects) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      cells.add(object.path("metadata").path("name").asText());
      for (CustomResourceColumnDefinition column : columns) {
        cells.add(cell(column, object));
      }
      switch (includeObject == null ? "Metadata" : includeObject) {
        case "None" -> {}
        case "Object" -> row.set("object", object);
        default -> {
          ObjectNode partial =
              JSON.objectNode()
                  .put("kind", "PartialObjectMetadata")
                  .put("apiVersion", "meta.k8s.io/v1");
          partial.set("metadata", object.path("metadata").deepCopy());
          row.set("object", partial);
        }
      }
    }
    return table;
  }

  private JsonNode cell(CustomResourceColumnDefinition column, JsonNode object) {
    JsonNode found = JsonPath.using(JSON_PATH).parse(object).read("$" + column.getJsonPath());
    if (found instanceof ArrayNode results && column.getJsonPath().contains("[?")) {
      // A filter finds a list of matches; the column shows the first, as Kubernetes does.
      found = results.isEmpty() ? null : results.get(0);
    }
    if (found == null || found.isNull() || found.isMissingNode()) {
      return JSON.nullNode();
    }
    return switch (column.getType()) {
      case "integer", "number", "boolean" ->
          found.isValueNode() ? found : JSON.textNode(found.toString());
      case "date" -> JSON.textNode(age(found.asText()));
      default -> JSON.textNode(found.isValueNode() ? found.asText() : found.toString());
    };
  }

  /** How long ago, the way kubectl writes an age: 45s, 3m12s, 5h, 2d. */
  private String age(String timestamp) {
    Duration age;
    try {
      age = Duration.between(Instant.parse(timestamp), clock.instant());
    } catch (DateTimeParseException e) {
      return "<unknown>";
    }
    if (age.isNegative()) {
      return "0s";
    }
    long seconds = age.toSeconds();
    if (seconds < 120) {
      return seconds + "s";
    }
    long minutes = age.toMinutes();
    if (minutes < 10) {
      return minutes + "m" + (seconds % 60 == 0 ? "" : (seconds % 60) + "s");
    }
    if (minutes < 180) {
      return minutes + "m";
    }
    long hours = age.toHours();
    if (hours < 48) {
      return hours + "h" + (minutes % 60 == 0 || hours >= 8 ? "" : (minutes % 60) + "m");
    }
    long days = age.toDays();
    return days < 8 ? days + "d" + (hours % 24 == 0 ? "" : (hours % 24) + "h") : days + "d";
  }
}
