package dev.lumen.validation;

/**
 * One problem with a resource.
 *
 * @param field the path of the offending field, e.g. {@code spec.rollout.steps[2].weight}
 * @param message what is wrong and how to fix it
 * @param reason the CamelCase reason a Ready=False condition carries for it
 */
public record Violation(String field, String message, String reason) {
  @Override
  public String toString() {
    return field + ": " + message;
  }
}
