package dev.lumen.cli;

import dev.lumen.validation.References;
import dev.lumen.validation.ResourceValidator;
import dev.lumen.validation.Validation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The resources of one kind in YAML files, each validated as the operator validates it (schema
 * defaults, CEL rules, semantic checks) with no cluster to resolve references against. Problems are
 * written to the error stream naming the file, the resource and the field, and counted.
 */
final class ValidResources<T extends HasMetadata> {
  private int problems;

  /** A resource, and the file it came from. */
  record Found<T>(Path file, T resource) {}

  private final List<Found<T>> found = new ArrayList<>();

  static <T extends HasMetadata> ValidResources<T> read(
      List<Path> files, Class<T> kind, ResourceValidator validator, PrintWriter err)
      throws java.io.IOException {
    var result = new ValidResources<T>();
    for (Path file : Manifests.expand(files)) {
      for (var document : Manifests.read(file)) {
        if (!document.readable()) {
          err.println(file + ": -: " + document.error());
          result.problems++;
          continue;
        }
        if (!kind.getSimpleName().equals(document.content().path("kind").asText())) {
          continue;
        }
        Validation validation = validator.validate(document.content(), References.standalone());
        if (!validation.valid()) {
          String subject = file + ": " + kind.getSimpleName() + "/" + validation.name();
          validation.violations().forEach(v -> err.println(subject + ": " + v));
          result.problems += validation.violations().size();
          continue;
        }
        result.found.add(new Found<>(file, validator.typed(validation, kind)));
      }
    }
    return result;
  }

  List<T> resources() {
    return found.stream().map(Found::resource).toList();
  }

  List<Found<T>> found() {
    return found;
  }

  int problems() {
    return problems;
  }
}
