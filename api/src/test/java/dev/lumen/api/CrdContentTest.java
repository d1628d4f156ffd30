package dev.lumen.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What `kubectl` users get from the committed CRDs. */
class CrdContentTest {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @ParameterizedTest
  @CsvSource({
    "lumenpolicies.lumen.dev-v1.yml, LumenPolicy, lp, Ready|Mode|Phase|Stable|Canary|Weight|Progress|Health|Reason|Age",
    "slotargets.lumen.dev-v1.yml, SLOTarget, slo, Ready|State|Compliance|Service|Reason|Age"
  })
  void crdIsNamespacedWithStatusShortNameAndPrinterColumnsInOrder(
      String file, String kind, String shortName, String columns) throws IOException {
    JsonNode crd = read(file);

    assertThat(crd.at("/spec/names/kind").asText()).isEqualTo(kind);
    assertThat(crd.at("/spec/scope").asText()).isEqualTo("Namespaced");
    assertThat(crd.at("/spec/names/shortNames").toString()).contains("\"" + shortName + "\"");
    JsonNode version = crd.at("/spec/versions/0");
    assertThat(version.path("name").asText()).isEqualTo("v1alpha1");
    assertThat(version.at("/subresources/status").isObject()).isTrue();
    List<String> names = new ArrayList<>();
    version.path("additionalPrinterColumns").forEach(c -> names.add(c.path("name").asText()));
    assertThat(String.join("|", names)).isEqualTo(columns);
  }

  @ParameterizedTest
  @CsvSource({"lumenpolicies.lumen.dev-v1.yml", "slotargets.lumen.dev-v1.yml"})
  void everyFieldHasADescriptionAndSpecHasCelRules(String file) throws IOException {
    JsonNode schema = read(file).at("/spec/versions/0/schema/openAPIV3Schema");
    List<String> undocumented = new ArrayList<>();
    collectUndocumented(schema.path("properties"), "", undocumented);

    assertThat(undocumented).isEmpty();
    assertThat(schema.toString()).contains("x-kubernetes-validations");
  }

  private static void collectUndocumented(JsonNode properties, String path, List<String> out) {
    for (Map.Entry<String, JsonNode> property : properties.properties()) {
      String field = path + "." + property.getKey();
      JsonNode schema = property.getValue();
      if (schema.path("description").asText().isBlank()) {
        out.add(field);
      }
      collectUndocumented(schema.path("properties"), field, out);
      collectUndocumented(schema.path("items").path("properties"), field + "[]", out);
    }
  }

  private static JsonNode read(String file) throws IOException {
    return YAML.readTree(Path.of(System.getProperty("lumen.crds.dir"), file).toFile());
  }
}
