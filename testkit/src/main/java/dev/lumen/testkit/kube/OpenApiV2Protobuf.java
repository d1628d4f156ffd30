package dev.lumen.testkit.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

/**
 * The OpenAPI v2 document in the protobuf encoding kubectl up to 1.26 insists on (gnostic's {@code
 * openapi.v2.Document}, field numbers from its OpenAPIv2.proto): only what kubectl reads, the info
 * and the definitions, with values such as defaults, enums and vendor extensions as YAML text (JSON
 * is YAML).
 */
final class OpenApiV2Protobuf {
  private OpenApiV2Protobuf() {}

  static byte[] encode(JsonNode document) {
    return document(document).toByteArray();
  }

  private static ByteString document(JsonNode document) {
    return message(
        out -> {
          out.writeString(1, document.path("swagger").asText());
          out.writeBytes(
              2,
              message(
                  info -> {
                    info.writeString(1, document.path("info").path("title").asText());
                    info.writeString(2, document.path("info").path("version").asText());
                  }));
          out.writeBytes(8, message(paths -> {}));
          out.writeBytes(
              9,
              message(
                  definitions -> {
                    var it = document.path("definitions").fields();
                    while (it.hasNext()) {
                      var entry = it.next();
                      definitions.writeBytes(1, named(entry.getKey(), schema(entry.getValue())));
                    }
                  }));
        });
  }

  private static ByteString schema(JsonNode s) {
    return message(
        out -> {
          text(out, 1, s.path("$ref"));
          text(out, 2, s.path("format"));
          text(out, 3, s.path("title"));
          text(out, 4, s.path("description"));
          if (s.has("default")) {
            out.writeBytes(5, yaml(s.get("default")));
          }
          if (s.has("maximum")) {
            out.writeDouble(7, s.get("maximum").asDouble());
          }
          if (s.has("minimum")) {
            out.writeDouble(9, s.get("minimum").asDouble());
          }
          integer(out, 11, s.path("maxLength"));
          integer(out, 12, s.path("minLength"));
          text(out, 13, s.path("pattern"));
          integer(out, 14, s.path("maxItems"));
          integer(out, 15, s.path("minItems"));
          for (JsonNode required : s.path("required")) {
            out.writeString(19, required.asText());
          }
          for (JsonNode value : s.path("enum")) {
            out.writeBytes(20, yaml(value));
          }
          JsonNode additional = s.path("additionalProperties");
          if (additional.isObject()) {
            out.writeBytes(21, message(item -> item.writeBytes(1, schema(additional))));
          } else if (additional.isBoolean()) {
            out.writeBytes(21, message(item -> item.writeBool(2, additional.asBoolean())));
          }
          if (s.has("type")) {
            out.writeBytes(22, message(type -> type.writeString(1, s.get("type").asText())));
          }
          if (s.has("items")) {
            out.writeBytes(23, message(items -> items.writeBytes(1, schema(s.get("items")))));
          }
          for (JsonNode part : s.path("allOf")) {
            out.writeBytes(24, schema(part));
          }
          if (s.has("properties")) {
            out.writeBytes(
                25,
                message(
                    properties -> {
                      Iterator<Map.Entry<String, JsonNode>> it = s.get("properties").fields();
                      while (it.hasNext()) {
                        var entry = it.next();
                        properties.writeBytes(1, named(entry.getKey(), schema(entry.getValue())));
                      }
                    }));
          }
          Iterator<Map.Entry<String, JsonNode>> fields = s.fields();
          while (fields.hasNext()) {
            var field = fields.next();
            if (field.getKey().startsWith("x-")) {
              out.writeBytes(
                  31,
                  message(
                      any -> {
                        any.writeString(1, field.getKey());
                        any.writeBytes(2, yaml(field.getValue()));
                      }));
            }
          }
        });
  }

  /** A gnostic {@code Any}: the value as YAML text. */
  private static ByteString yaml(JsonNode value) {
    return message(any -> any.writeString(2, value.toString()));
  }

  private static ByteString named(String name, ByteString value) {
    return message(
        out -> {
          out.writeString(1, name);
          out.writeBytes(2, value);
        });
  }

  private static void text(CodedOutputStream out, int field, JsonNode value) throws IOException {
    if (value.isTextual()) {
      out.writeString(field, value.asText());
    }
  }

  private static void integer(CodedOutputStream out, int field, JsonNode value) throws IOException {
    if (value.isNumber()) {
      out.writeInt64(field, value.asLong());
    }
  }

  private interface Body {
    void write(CodedOutputStream out) throws IOException;
  }

  private static ByteString message(Body body) {
    try {
      var bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      body.write(out);
      out.flush();
      return ByteString.copyFrom(bytes.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
