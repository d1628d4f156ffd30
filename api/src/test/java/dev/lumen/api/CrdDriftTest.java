package dev.lumen.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** crds/ and docs/api.md must be exactly what the Java model generates. */
class CrdDriftTest {
  static final String REGENERATE = "./mvnw -q -pl operator -Pupdate-crds test";
  static final Path API_REFERENCE =
      Path.of(System.getProperty("lumen.crds.dir", "../crds")).resolveSibling("docs/api.md");

  /** The Helm chart installs its own copy of the CRDs; it must be the same. */
  static final Path CHART_CRDS =
      Path.of(System.getProperty("lumen.crds.dir", "../crds"))
          .resolveSibling("helm/lumen-operator/crds");

  @Test
  void committedCrdsMatchTheJavaModel(@TempDir Path generatedDir) throws IOException {
    Path committedDir = Path.of(System.getProperty("lumen.crds.dir", "../crds"));
    List<Path> generated = CrdWriter.writeTo(generatedDir);
    if (Boolean.getBoolean("lumen.crds.update")) {
      CrdWriter.writeTo(committedDir);
      CrdWriter.writeTo(CHART_CRDS);
      Files.writeString(API_REFERENCE, ApiReference.render(generated));
      return;
    }
    List<String> drifted = new ArrayList<>();
    drifted.addAll(drift(generated, committedDir, "crds/"));
    drifted.addAll(drift(generated, CHART_CRDS, "helm/lumen-operator/crds/"));
    if (!Files.exists(API_REFERENCE)
        || !Files.readString(API_REFERENCE).equals(ApiReference.render(generated))) {
      drifted.add("docs/api.md");
    }
    assertThat(drifted)
        .as(
            "crds/, the chart's crds/ or docs/api.md is out of date with the Java model in"
                + " api/v1alpha1. Regenerate with `%s` and commit the result",
            REGENERATE)
        .isEmpty();
  }

  private static List<String> drift(List<Path> generated, Path committedDir, String label)
      throws IOException {
    List<String> drifted = new ArrayList<>();
    for (Path file : generated) {
      Path committed = committedDir.resolve(file.getFileName());
      if (!Files.exists(committed) || !Files.readString(committed).equals(Files.readString(file))) {
        drifted.add(label + file.getFileName());
      }
    }
    try (var committedFiles = Files.list(committedDir)) {
      committedFiles
          .map(f -> f.getFileName().toString())
          .filter(
              name -> generated.stream().noneMatch(g -> g.getFileName().toString().equals(name)))
          .forEach(name -> drifted.add(label + name + " (no longer generated)"));
    }
    return drifted;
  }
}
