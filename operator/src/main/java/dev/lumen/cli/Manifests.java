package dev.lumen.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads Kubernetes manifests: YAML files with one or more documents, or directories of them. */
public final class Manifests {
  /** The simulator's scenario files, which may sit beside manifests (samples/scenarios). */
  public static final String SCENARIO_API_VERSION = "sim.lumen.dev/v1alpha1";

  public static final String SCENARIO_KIND = "Scenario";

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));

  /** One document of a file, or the reason the file could not be read past some point. */
  public record Document(Path file, int index, JsonNode content, String error) {
    public boolean readable() {
      return error == null;
    }
  }

  private Manifests() {}

  /** Whether a document is a simulation scenario rather than a Kubernetes manifest. */
  public static boolean isScenario(JsonNode document) {
    return SCENARIO_KIND.equals(document.path("kind").asText())
        && SCENARIO_API_VERSION.equals(document.path("apiVersion").asText());
  }

  /** Expands directories (recursively) into their .yaml and .yml files, in a stable order. */
  public static List<Path> expand(List<Path> paths) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        try (Stream<Path> walk = Files.walk(path)) {
          walk.filter(Files::isRegularFile)
              .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
              .sorted()
              .forEach(files::add);
        }
      } else {
        files.add(path);
      }
    }
    return files;
  }

  /** Reads every document of a file; a syntax error ends the file with an error document. */
  public static List<Document> read(Path file) {
    List<Document> documents = new ArrayList<>();
    int index = 0;
    try (MappingIterator<JsonNode> values =
        YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      while (values.hasNextValue()) {
        index++;
        JsonNode content = values.nextValue();
        if (content != null && !content.isNull() && !content.isMissingNode()) {
          documents.add(new Document(file, index, content, null));
        }
      }
    } catch (JsonProcessingException e) {
      documents.add(new Document(file, index + 1, null, describe(e)));
    } catch (IOException e) {
      documents.add(new Document(file, 0, null, "cannot read the file: " + e.getMessage()));
    } catch (RuntimeException e) {
      // The YAML engine's own limits (alias bombs, nesting depth) surface unchecked.
      documents.add(new Document(file, index + 1, null, "malformed YAML: " + e.getMessage()));
    }
    return documents;
  }

  private static String describe(JsonProcessingException e) {
    JsonLocation location = e.getLocation();
    String where =
        location == null
            ? ""
            : "line " + location.getLineNr() + ", column " + location.getColumnNr() + ": ";
    return where + "malformed YAML: " + e.getOriginalMessage().lines().findFirst().orElse("");
  }
}
