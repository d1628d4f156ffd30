package dev.lumen.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The outcome of validating one resource.
 *
 * @param kind the resource's kind as written
 * @param name the resource's name as written
 * @param resource the resource with the schema defaults applied
 * @param violations every problem found, empty when the resource is valid
 */
public record Validation(String kind, String name, JsonNode resource, List<Violation> violations) {
  public boolean valid() {
    return violations.isEmpty();
  }
}
