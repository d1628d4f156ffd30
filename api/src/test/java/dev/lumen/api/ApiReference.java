package dev.lumen.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lumen.api.v1alpha1.FormatHints;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Renders docs/api.md, the field reference of both kinds, from the generated CRDs. */
final class ApiReference {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private ApiReference() {}

  static String render(List<Path> crdFiles) throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("# API reference: lumen.dev/v1alpha1\n\n")
        .append("Generated from the Java model in `operator/src/main/java/dev/lumen/api/v1alpha1`")
        .append(" by `")
        .append(CrdDriftTest.REGENERATE)
        .append("`; do not edit by hand. The same text is what `kubectl explain` shows.\n\n")
        .append(
            "Numbers in spec are integers or quoted decimal strings (`\"99.5\"`), never floats;")
        .append(" durations are written like `200ms`, `30s`, `10m`, `1h30m` (windows also `28d`).")
        .append(
            " Defaults are applied by the API server, so `kubectl get -o yaml` shows them.\n\n");
    List<JsonNode> crds = new ArrayList<>();
    for (Path file : crdFiles) {
      crds.add(YAML.readTree(file.toFile()));
    }
    for (JsonNode crd : crds) {
      String kind = crd.at("/spec/names/kind").asText();
      md.append("- [").append(kind).append("](#").append(kind.toLowerCase()).append(")\n");
    }
    for (JsonNode crd : crds) {
      renderKind(crd, md);
    }
    return md.toString();
  }

  private static void renderKind(JsonNode crd, StringBuilder md) {
    JsonNode names = crd.at("/spec/names");
    JsonNode version = crd.at("/spec/versions/0");
    JsonNode schema = version.at("/schema/openAPIV3Schema/properties");
    md.append("\n## ").append(names.path("kind").asText()).append("\n\n");
    md.append("`kubectl get ").append(names.path("plural").asText()).append("` (short names: ");
    List<String> shortNames = new ArrayList<>();
    names.path("shortNames").forEach(n -> shortNames.add("`" + n.asText() + "`"));
    md.append(String.join(", ", shortNames)).append("), namespaced. Columns: ");
    List<String> columns = new ArrayList<>();
    version
        .path("additionalPrinterColumns")
        .forEach(
            c ->
                columns.add(
                    c.path("name").asText()
                        + (c.path("priority").asInt() > 0 ? " (with `-o wide`)" : "")));
    md.append(String.join(", ", columns)).append(".\n\n");
    for (String part : List.of("spec", "status")) {
      JsonNode node = schema.path(part);
      md.append("### ")
          .append(part)
          .append("\n\n")
          .append(oneLine(node.path("description")))
          .append("\n\n");
      md.append("| Field | Type | Default | Description |\n|---|---|---|---|\n");
      List<String> rules = new ArrayList<>();
      fields(node, part, md, rules);
      if (!rules.isEmpty()) {
        md.append("\nRules checked by the API server (CEL):\n\n");
        rules.forEach(r -> md.append("- ").append(r).append("\n"));
      }
      md.append("\n");
    }
  }

  private static void fields(JsonNode node, String path, StringBuilder md, List<String> rules) {
    for (JsonNode rule : node.path("x-kubernetes-validations")) {
      rules.add(
          "`"
              + path
              + rule.path("fieldPath").asText("")
              + "`: "
              + rule.path("message").asText()
              + " (`"
              + rule.path("rule").asText().replace("|", "\\|")
              + "`)");
    }
    List<String> required = new ArrayList<>();
    node.path("required").forEach(r -> required.add(r.asText()));
    for (Map.Entry<String, JsonNode> property : node.path("properties").properties()) {
      String field = path + "." + property.getKey();
      JsonNode schema = property.getValue();
      md.append("| `")
          .append(field)
          .append("` | ")
          .append(type(schema))
          .append(required.contains(property.getKey()) ? ", required" : "")
          .append(" | ")
          .append(schema.has("default") ? "`" + compact(schema.get("default")) + "`" : "")
          .append(" | ")
          .append(oneLine(schema.path("description")))
          .append(constraints(schema))
          .append(" |\n");
      fields(schema, field, md, rules);
      if (schema.has("items")) {
        fields(schema.get("items"), field + "[]", md, rules);
      }
    }
  }

  private static String type(JsonNode schema) {
    String type = schema.path("type").asText();
    if (type.equals("array")) {
      return "list of " + schema.at("/items/type").asText();
    }
    return type;
  }

  private static String constraints(JsonNode schema) {
    List<String> parts = new ArrayList<>();
    if (schema.has("enum")) {
      List<String> values = new ArrayList<>();
      schema.get("enum").forEach(v -> values.add("`" + v.asText() + "`"));
      parts.add("One of " + String.join(", ", values) + ".");
    }
    if (schema.has("pattern")) {
      parts.add("Format: " + FormatHints.describe(schema.get("pattern").asText()) + ".");
    }
    if (schema.has("minimum") || schema.has("maximum")) {
      parts.add(
          "Range: "
              + (schema.has("minimum") ? schema.get("minimum").asLong() : "")
              + " to "
              + (schema.has("maximum") ? schema.get("maximum").asLong() : "")
              + ".");
    }
    if (schema.has("maxLength")) {
      parts.add("At most " + schema.get("maxLength").asInt() + " characters.");
    }
    if (schema.has("maxItems")) {
      parts.add(
          (schema.has("minItems") ? schema.get("minItems").asInt() + " to " : "At most ")
              + schema.get("maxItems").asInt()
              + " entries.");
    }
    return parts.isEmpty() ? "" : " " + String.join(" ", parts).replace("|", "\\|");
  }

  private static String compact(JsonNode value) {
    return value.isTextual() ? value.asText() : value.toString();
  }

  private static String oneLine(JsonNode text) {
    return text.asText().replace("\n", " ").replace("|", "\\|");
  }
}
