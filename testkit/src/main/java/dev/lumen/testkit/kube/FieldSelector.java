package dev.lumen.testkit.kube;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A field selector such as {@code involvedObject.name=checkout,type!=Normal}, applied to any field
 * of an object: the mock server understands only {@code metadata.name}, and {@code kubectl
 * describe} finds an object's events with {@code involvedObject.*}.
 */
record FieldSelector(List<Term> terms) {
  record Term(String field, boolean equal, String value) {
    boolean matches(JsonNode object) {
      JsonNode node = object;
      for (String part : field.split("\\.")) {
        node = node.path(part);
      }
      String actual = node.isValueNode() ? node.asText() : "";
      return actual.equals(value) == equal;
    }
  }

  static FieldSelector parse(String selector) {
    List<Term> terms = new ArrayList<>();
    if (selector != null && !selector.isBlank()) {
      for (String term : selector.split(",")) {
        int notEqual = term.indexOf("!=");
        if (notEqual >= 0) {
          terms.add(new Term(term.substring(0, notEqual), false, term.substring(notEqual + 2)));
          continue;
        }
        String[] sides = term.split("==?", 2);
        terms.add(new Term(sides[0], true, sides.length > 1 ? sides[1] : ""));
      }
    }
    return new FieldSelector(List.copyOf(terms));
  }

  boolean isEmpty() {
    return terms.isEmpty();
  }

  boolean matches(JsonNode object) {
    return terms.stream().allMatch(t -> t.matches(object));
  }
}
