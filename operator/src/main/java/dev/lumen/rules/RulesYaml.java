package dev.lumen.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** Renders rule groups as a Prometheus rules file or as a Prometheus Operator PrometheusRule. */
public final class RulesYaml {
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
              // Folded expressions are valid but unreadable; the long ones are multi-line.
              .disable(YAMLGenerator.Feature.SPLIT_LINES)
              .build());

  private RulesYaml() {}

  /** A file for Prometheus' {@code rule_files} or {@code promtool check rules}. */
  public static String plain(List<RuleGroup> groups) {
    return write(Map.of("groups", groups));
  }

  public static String prometheusRule(
      String name, String namespace, Map<String, String> labels, List<RuleGroup> groups) {
    return write(prometheusRuleTree(name, namespace, labels, groups));
  }

  /** The PrometheusRule as a JSON tree, for a Kubernetes client to write. */
  public static ObjectNode prometheusRuleTree(
      String name, String namespace, Map<String, String> labels, List<RuleGroup> groups) {
    ObjectNode rule = YAML.createObjectNode();
    rule.put("apiVersion", "monitoring.coreos.com/v1");
    rule.put("kind", "PrometheusRule");
    ObjectNode metadata = rule.putObject("metadata");
    metadata.put("name", name);
    if (namespace != null) {
      metadata.put("namespace", namespace);
    }
    if (!labels.isEmpty()) {
      metadata.set("labels", YAML.valueToTree(labels));
    }
    rule.putObject("spec").set("groups", YAML.valueToTree(groups));
    return rule;
  }

  private static String write(Object value) {
    try {
      return YAML.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
