package dev.lumen.argocd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** A JSON value as a Lua 5.1 table constructor: how Argo CD hands a resource to its scripts. */
final class LuaLiteral {
  private LuaLiteral() {}

  static String of(JsonNode node) {
    if (node.isObject()) {
      List<String> fields = new ArrayList<>();
      node.fields()
          .forEachRemaining(e -> fields.add("[" + string(e.getKey()) + "]=" + of(e.getValue())));
      return "{" + String.join(",", fields) + "}";
    }
    if (node.isArray()) {
      List<String> items = new ArrayList<>();
      node.forEach(item -> items.add(of(item)));
      return "{" + String.join(",", items) + "}";
    }
    if (node.isTextual()) {
      return string(node.asText());
    }
    if (node.isNull() || node.isMissingNode()) {
      return "nil";
    }
    return node.asText();
  }

  private static String string(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20) {
            out.append('\\').append((int) c);
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
