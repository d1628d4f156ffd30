package dev.lumen.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.lumen.api.v1alpha1.Conditions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Evaluates the CRD's {@code x-kubernetes-validations} CEL rules with Google's CEL engine, where no
 * API server does: offline in {@code validate}, and in the reconcilers as a second line.
 */
final class CelRuleCheck {
  private static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("self", SimpleType.DYN)
          .build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  private final JsonNode crdSchema;
  private final Map<String, CelRuntime.Program> programs = new ConcurrentHashMap<>();

  CelRuleCheck(JsonNode crdSchema) {
    this.crdSchema = crdSchema;
  }

  List<Violation> check(JsonNode resource) {
    List<Violation> violations = new ArrayList<>();
    JsonNode spec = resource.get("spec");
    if (spec != null) {
      walk(crdSchema.path("properties").path("spec"), spec, "spec", violations);
    }
    return violations;
  }

  private void walk(JsonNode schema, JsonNode value, String path, List<Violation> out) {
    for (JsonNode rule : schema.path("x-kubernetes-validations")) {
      evaluate(rule, value, path, out);
    }
    if (value.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        JsonNode fieldSchema = schema.path("properties").path(field.getKey());
        if (!fieldSchema.isMissingNode()) {
          walk(fieldSchema, field.getValue(), path + "." + field.getKey(), out);
        }
      }
    } else if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        walk(schema.path("items"), value.get(i), path + "[" + i + "]", out);
      }
    }
  }

  private void evaluate(JsonNode rule, JsonNode value, String path, List<Violation> out) {
    String expression = rule.path("rule").asText();
    String field = path + rule.path("fieldPath").asText("");
    try {
      Object result = program(expression).eval(Map.of("self", toCel(value)));
      if (!Boolean.TRUE.equals(result)) {
        out.add(
            new Violation(
                field,
                rule.path("message").asText("failed rule: " + expression),
                Conditions.REASON_INVALID_SPEC));
      }
    } catch (CelEvaluationException e) {
      out.add(
          new Violation(
              field,
              rule.path("message").asText("failed rule: " + expression)
                  + " (rule could not be evaluated: "
                  + e.getMessage()
                  + ")",
              Conditions.REASON_INVALID_SPEC));
    }
  }

  private CelRuntime.Program program(String expression) {
    return programs.computeIfAbsent(
        expression,
        e -> {
          try {
            return RUNTIME.createProgram(COMPILER.compile(e).getAst());
          } catch (CelValidationException | CelEvaluationException ex) {
            throw new IllegalStateException("CRD rule does not compile: " + e, ex);
          }
        });
  }

  private static Object toCel(JsonNode node) {
    return switch (node.getNodeType()) {
      case OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>();
        node.fields()
            .forEachRemaining(
                f -> {
                  if (!f.getValue().isNull()) {
                    map.put(escaped(f.getKey()), toCel(f.getValue()));
                  }
                });
        yield map;
      }
      case ARRAY -> {
        List<Object> list = new ArrayList<>();
        node.forEach(item -> list.add(toCel(item)));
        yield list;
      }
      case STRING -> node.asText();
      case BOOLEAN -> node.asBoolean();
      case NUMBER -> node.isIntegralNumber() ? (Object) node.asLong() : (Object) node.asDouble();
      default -> node.toString();
    };
  }

  /**
   * A property name as the API server shows it to CEL: a reserved word such as {@code for} is
   * {@code __for__}, and {@code _ . - /} are spelled out, so the CRD's rules read the same here.
   */
  static String escaped(String name) {
    if (CEL_RESERVED.contains(name)) {
      return "__" + name + "__";
    }
    return name.replace("__", "__underscores__")
        .replace(".", "__dot__")
        .replace("-", "__dash__")
        .replace("/", "__slash__");
  }

  private static final Set<String> CEL_RESERVED =
      Set.of(
          "true",
          "false",
          "null",
          "in",
          "as",
          "break",
          "const",
          "continue",
          "else",
          "for",
          "function",
          "if",
          "import",
          "let",
          "loop",
          "package",
          "namespace",
          "return",
          "var",
          "void",
          "while");
}
