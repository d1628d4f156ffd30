package dev.lumen.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The chart under helm/ rendered by the real Helm engine, as release lumen-operator in
 * lumen-system.
 */
public final class RenderedChart {
  static final Path CHART = Path.of("../helm/lumen-operator");

  /** GKE's regular channel at the time of writing; the chart asks for 1.25 or later. */
  static final String KUBERNETES = "1.33.0";

  private static final YAMLMapper YAML = new YAMLMapper();

  private RenderedChart() {}

  /** The objects of the chart with its default values. */
  public static List<JsonNode> defaults() {
    try {
      return of(List.of(), KUBERNETES);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<JsonNode> of(List<Path> valuesFiles, String kubernetes) throws IOException {
    var command =
        new Helm(CHART)
            .template()
            .withName("lumen-operator")
            .withNamespace("lumen-system")
            .withKubeVersion(kubernetes);
    for (Path values : valuesFiles) {
      command = command.withValuesFile(values);
    }
    String manifest = command.call();
    List<JsonNode> objects = new ArrayList<>();
    try (var documents = YAML.readerFor(JsonNode.class).readValues(manifest)) {
      while (documents.hasNextValue()) {
        JsonNode document = (JsonNode) documents.nextValue();
        if (document != null && !document.isNull() && document.size() > 0) {
          objects.add(document);
        }
      }
    }
    return objects;
  }
}
