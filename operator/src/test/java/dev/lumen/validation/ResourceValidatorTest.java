package dev.lumen.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lumen.api.v1alpha1.Conditions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ResourceValidatorTest {
  static final ResourceValidator VALIDATOR = new ResourceValidator(CrdSchemas.load());
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static final String SERVICE =
      "service: {cloudRun: {project: my-project, region: us-central1, name: ion-api}}\n";

  /** A cluster with one SLOTarget (ion-api) and one Secret (slack, key url). */
  static final References CLUSTER =
      new References() {
        @Override
        public boolean sloTargetExists(String namespace, String name) {
          return namespace.equals("default") && name.equals("ion-api");
        }

        @Override
        public boolean seesSecrets() {
          return true;
        }

        @Override
        public Optional<Set<String>> secretKeys(String namespace, String name) {
          return Optional.ofNullable(Map.of("slack", Set.of("url")).get(name));
        }
      };

  static JsonNode resource(String kind, String spec) {
    try {
      return YAML.readTree(
          "apiVersion: lumen.dev/v1alpha1\nkind: "
              + kind
              + "\nmetadata: {name: test, namespace: default}\nspec:\n"
              + spec.indent(2));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static Arguments policy(String spec, String field, String message, String reason) {
    return Arguments.of(resource("LumenPolicy", SERVICE + spec), field, message, reason);
  }

  static Arguments slo(String spec, String field, String message) {
    return Arguments.of(
        resource("SLOTarget", SERVICE + spec), field, message, Conditions.REASON_INVALID_SPEC);
  }

  static final String INVALID = Conditions.REASON_INVALID_SPEC;

  static Stream<Arguments> invalidResources() {
    return Stream.of(
        // Schema: enums, patterns, bounds, types, required and unknown fields.
        policy(
            "mode: Yolo",
            "spec.mode",
            "unsupported value \"Yolo\"; use one of: DryRun, Enforce",
            INVALID),
        policy(
            "rollout: {steps: [{weight: 150}]}",
            "spec.rollout.steps[0].weight",
            "must be at most 100 (got 150)",
            INVALID),
        policy(
            "rollout: {steps: [{weight: 0}, {weight: 100}]}",
            "spec.rollout.steps[0].weight",
            "must be at least 1 (got 0)",
            INVALID),
        policy(
            "rollout: {analysis: {maxErrorRate: 1.5}}",
            "spec.rollout.analysis.maxErrorRate",
            "must be a string, not the number 1.5",
            INVALID),
        policy(
            "rollout: {analysis: {interval: 5 minutes}}",
            "spec.rollout.analysis.interval",
            "expected a duration such as 200ms, 30s, 10m or 1h30m",
            INVALID),
        policy(
            "rollout: {analysis: {maxErrorRate: \"150\"}}",
            "spec.rollout.analysis.maxErrorRate",
            "expected a percentage from 0 to 100",
            INVALID),
        policy(
            "rollout: {stepz: []}",
            "spec.rollout.stepz",
            "unknown field; the fields allowed here are analysis, onProgressDeadline, postPromotion, progressDeadline, revisionTags, rollback, steps",
            INVALID),
        policy(
            "gates: {roi: {pass: \"500\"}}",
            "spec.gates.roi.cacheMonthlyCost",
            "required field is missing",
            INVALID),
        policy(
            "notifications: {alertmanager: {url: \"ftp://alerts\"}}",
            "spec.notifications.alertmanager.url",
            "expected an absolute http:// or https:// URL",
            INVALID),
        policy(
            "sloTargets: [ion-api]\ngates: {slo: {}}\nrollout: {analysis: {minConfidenceScore: \"1.5\"}}",
            "spec.rollout.analysis.minConfidenceScore",
            "expected a score from 0 to 1",
            INVALID),
        // CEL rules of the CRD.
        policy(
            "rollout: {steps: [{weight: 10}, {weight: 50}]}",
            "spec.rollout.steps",
            "the last step must be {weight: 100}",
            INVALID),
        policy(
            "rollout: {steps: [{weight: 10, approval: {}}, {weight: 100}]}",
            "spec.rollout.steps[0]",
            "a step sets either weight (with an optional pause) or approval",
            INVALID),
        policy(
            "rollout: {steps: [{approval: {}, pause: 5m}, {weight: 100}]}",
            "spec.rollout.steps[0].pause",
            "pause belongs to a weight step; an approval step waits for a person instead",
            INVALID),
        policy(
            "gates: {roi: {cacheMonthlyCost: \"9.36\", pass: \"100\", warn: \"300\"}}",
            "spec.gates.roi",
            "warn must not be greater than pass",
            INVALID),
        policy(
            "tuning: {minInstances: {min: 5, max: 2}}",
            "spec.tuning.minInstances",
            "min must not be greater than max",
            INVALID),
        policy(
            "tuning: {cacheTtl: {redis: {urlSecretRef: {name: slack, key: url}}, min: 30s}}",
            "spec.tuning.cacheTtl",
            "the TTL range must lie within 60s and 1h",
            INVALID),
        policy(
            "tuning: {cacheTtl: {redis: {urlSecretRef: {name: slack, key: url}},"
                + " raiseBelowHitRate: \"95\", lowerAboveHitRate: \"90\"}}",
            "spec.tuning.cacheTtl.raiseBelowHitRate",
            "must be below lowerAboveHitRate",
            INVALID),
        policy(
            "sloTargets: [Ion_API]",
            "spec.sloTargets",
            "every entry must be the name of an SLOTarget",
            INVALID),
        policy(
            "gates: {budget: {monthly: \"200\", thresholds: [\"80%\"]}}",
            "spec.gates.budget.thresholds", "every threshold is a percent of the budget", INVALID),
        // Semantic checks of the operator.
        policy(
            "rollout: {steps: [{weight: 50, pause: 10m}, {weight: 10, pause: 10m}, {weight: 100}]}",
            "spec.rollout.steps[1].weight",
            "10 does not increase on steps[0].weight (50)",
            INVALID),
        policy(
            "rollout: {steps: [{weight: 10, pause: 30s}, {weight: 100}], analysis: {interval: 1m}}",
            "spec.rollout.steps[0].pause",
            "30s is shorter than spec.rollout.analysis.interval (1m)",
            INVALID),
        policy(
            "sloTargets: [ion-api, ion-api]",
            "spec.sloTargets[1]",
            "\"ion-api\" is already listed at spec.sloTargets[0]; remove the duplicate",
            INVALID),
        policy(
            "sloTargets: [payments]",
            "spec.sloTargets[0]",
            "SLOTarget \"payments\" does not exist in namespace \"default\"; create it or remove it",
            Conditions.REASON_SLO_TARGET_NOT_FOUND),
        policy(
            "gates: {budget: {monthly: \"200\", thresholds: [\"90\", \"80\"]}}",
            "spec.gates.budget.thresholds[1]",
            "80 is not above the previous threshold (90)",
            INVALID),
        policy("gates: {slo: {}}", "spec.gates.slo", "spec.sloTargets, which is empty", INVALID),
        policy(
            "notifications: {slack: {webhookSecretRef: {name: slack-hooks, key: url}}}",
            "spec.notifications.slack.webhookSecretRef",
            "Secret \"slack-hooks\" does not exist in namespace \"default\"",
            Conditions.REASON_SECRET_NOT_FOUND),
        policy(
            "notifications: {slack: {webhookSecretRef: {name: slack, key: webhook}}}",
            "spec.notifications.slack.webhookSecretRef.key",
            "Secret \"slack\" has no key \"webhook\" (it has: url)",
            Conditions.REASON_SECRET_NOT_FOUND),
        slo(
            "objectives: [{name: a, availability: {}}, {name: a, errorRate: {}}]",
            "spec.objectives[1].name",
            "\"a\" is already the name of spec.objectives[0]; objective names must be unique"),
        slo(
            "objectives: [{name: a, availability: {}, errorRate: {}}]",
            "spec.objectives[0]",
            "set exactly one of availability, latency, errorRate, cacheHitRate or custom"),
        slo("objectives: []", "spec.objectives", "must have at least 1 entries"),
        slo(
            "window: 120d\nobjectives: [{name: a, availability: {}}]",
            "spec.window",
            "invalid value \"120d\"; expected a whole number of hours or days from 1h to 90d,"
                + " such as 28d or 720h"),
        slo(
            "objectives: [{name: a, custom: {query: 'up', min: \"2\", max: \"1\"}}]",
            "spec.objectives[0].custom",
            "min must not be greater than max"),
        slo(
            "objectives: [{name: a, custom: {query: 'up', min: \"1\"}}]",
            "spec.objectives[0].custom.query",
            "a Monitoring filter must select a metric"),
        slo(
            "source: {prometheus: {url: http://p:9090}, cloudMonitoring: {}}\n"
                + "objectives: [{name: a, availability: {}}]",
            "spec.source",
            "set exactly one of cloudMonitoring or prometheus"),
        slo(
            "objectives: [{name: a, latency: {threshold: 0ms}}]",
            "spec.objectives[0].latency.threshold",
            "must be longer than 0s"),
        slo(
            "objectives: [{name: a, description: \""
                + "x".repeat(100_000)
                + "\", availability: {}}]",
            "spec.objectives[0].description",
            "is too long: 100000 characters, at most 256 allowed"),
        slo(
            "objectives: [{name: \"ünïcödé\", availability: {}}]",
            "spec.objectives[0].name",
            "expected lower-case letters, digits and '-'"));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("invalidResources")
  void rejectsInvalidResourceNamingTheFieldAndTheFix(
      JsonNode resource, String field, String message, String reason) {
    Validation validation = VALIDATOR.validate(resource, CLUSTER);

    assertThat(validation.violations())
        .anySatisfy(
            v -> {
              assertThat(v.field()).isEqualTo(field);
              assertThat(v.message()).contains(message);
              assertThat(v.reason()).isEqualTo(reason);
            });
  }

  @Test
  void appliesSchemaDefaultsBeforeChecking() {
    Validation validation =
        VALIDATOR.validate(resource("LumenPolicy", SERVICE + "rollout: {}"), CLUSTER);

    assertThat(validation.violations()).isEmpty();
    JsonNode spec = validation.resource().get("spec");
    assertThat(spec.get("mode").asText()).isEqualTo("Enforce");
    assertThat(spec.at("/rollout/steps")).hasSize(4);
    assertThat(spec.at("/rollout/steps/3/weight").asInt()).isEqualTo(100);
    assertThat(spec.at("/rollout/analysis/minRequests").asInt()).isZero();
    assertThat(spec.at("/rollout/analysis/mustCatch/errorRate").asText()).isEqualTo("2x");
    assertThat(spec.at("/rollout/rollback/gracePeriod").asText()).isEqualTo("5m");
  }

  @Test
  void reportsResourcesWithoutNameSpecOrKnownKind() {
    assertThat(VALIDATOR.validate(resource("Deployment", SERVICE), CLUSTER).violations())
        .extracting(Violation::field)
        .containsExactly("kind");
    JsonNode unnamed = resource("SLOTarget", SERVICE);
    ((com.fasterxml.jackson.databind.node.ObjectNode) unnamed.get("metadata")).remove("name");
    assertThat(VALIDATOR.validate(unnamed, CLUSTER).violations())
        .extracting(Violation::field)
        .containsExactly("metadata.name");
    JsonNode noSpec = resource("SLOTarget", SERVICE);
    ((com.fasterxml.jackson.databind.node.ObjectNode) noSpec).remove("spec");
    assertThat(VALIDATOR.validate(noSpec, CLUSTER).violations())
        .extracting(Violation::field)
        .containsExactly("spec");
  }

  static JsonNode stored(String spec, String uid, long generation) {
    JsonNode resource = resource("LumenPolicy", SERVICE + spec);
    ((ObjectNode) resource.get("metadata")).put("uid", uid).put("generation", generation);
    return resource;
  }

  @Test
  void aStoredResourceIsCheckedAgainWhenItsSpecChangesWithOrWithoutANewGeneration() {
    var validator = new ResourceValidator(CrdSchemas.load());
    String valid = "mode: DryRun";
    String invalid = "mode: Sometimes";

    assertThat(validator.validate(stored(valid, "uid-1", 1), CLUSTER).violations()).isEmpty();
    assertThat(validator.validate(stored(valid, "uid-1", 1), CLUSTER).violations()).isEmpty();
    // A server that does not bump the generation (the embedded one need not) is not trusted.
    assertThat(validator.validate(stored(invalid, "uid-1", 1), CLUSTER).violations())
        .extracting(Violation::field)
        .containsExactly("spec.mode");
    assertThat(validator.validate(stored(invalid, "uid-1", 2), CLUSTER).violations())
        .extracting(Violation::field)
        .containsExactly("spec.mode");
    assertThat(validator.validate(stored(valid, "uid-1", 3), CLUSTER).violations()).isEmpty();
    // Another resource with the same generation and spec is its own.
    assertThat(validator.validate(stored(invalid, "uid-2", 3), CLUSTER).violations())
        .extracting(Violation::field)
        .containsExactly("spec.mode");
  }

  @Test
  void referencesAreCheckedAtEveryValidationOfAnUnchangedSpec() {
    var validator = new ResourceValidator(CrdSchemas.load());
    String naming = "sloTargets: [ion-api]";
    assertThat(validator.validate(stored(naming, "uid-1", 1), CLUSTER).violations()).isEmpty();

    References gone =
        new References() {
          @Override
          public boolean sloTargetExists(String namespace, String name) {
            return false;
          }

          @Override
          public boolean seesSecrets() {
            return true;
          }

          @Override
          public Optional<Set<String>> secretKeys(String namespace, String name) {
            return Optional.empty();
          }
        };
    assertThat(validator.validate(stored(naming, "uid-1", 1), gone).violations())
        .extracting(Violation::field)
        .containsExactly("spec.sloTargets[0]");
  }
}
