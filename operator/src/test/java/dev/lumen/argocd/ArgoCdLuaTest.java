package dev.lumen.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.lumen.testkit.ExternalProgram;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Argo CD health checks and actions of helm/argocd/argocd-cm-lumen.yaml, run by a real Lua 5.1
 * (Argo CD's dialect; Debian's lua5.1, installed by the build) on resources whose status the
 * operator wrote in live scenario runs (test resources dev/lumen/argocd). States no shipped
 * scenario reaches are made from those by changing only what the operator would change.
 */
class ArgoCdLuaTest {
  static final Path ARGOCD_CM = Path.of("../helm/argocd/argocd-cm-lumen.yaml");
  static final YAMLMapper YAML = new YAMLMapper();
  static final JsonNode DATA;

  static {
    try {
      DATA = YAML.readTree(ARGOCD_CM.toFile()).path("data");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @TempDir Path dir;

  record Health(String status, String message) {}

  @Test
  void policyHealthFollowsTheConditions() throws Exception {
    assertThat(policyHealth(fixture("policy-idle")))
        .isEqualTo(new Health("Healthy", "No rollout in progress"));
    assertThat(policyHealth(fixture("policy-canary-step")))
        .isEqualTo(new Health("Progressing", "canary checkout-00002 at 20 % in step 0"));
    assertThat(policyHealth(fixture("policy-rollback-announced")))
        .satisfies(h -> assertThat(h.status()).isEqualTo("Degraded"))
        .satisfies(
            h ->
                assertThat(h.message())
                    .startsWith(
                        "RollbackAnnounced: canary availability 92.593 % is below 99 % over 135"
                            + " requests"));
    assertThat(policyHealth(fixture("policy-rolled-back")))
        .isEqualTo(
            new Health(
                "Degraded",
                "RolledBack: revision checkout-00002 was rolled back; checkout-00001 serves"));
    assertThat(policyHealth(fixture("policy-canary-after-rollback")).status())
        .as("a new canary after a rollback is progressing again")
        .isEqualTo("Progressing");
    assertThat(policyHealth(fixture("policy-gate-failed")))
        .isEqualTo(
            new Health(
                "Degraded",
                "GateFailed: budget: spend 0.34 USD is 114 % of the monthly 0.30; forecast 7.08"));
  }

  @Test
  void whatWaitsForAPersonIsSuspended() throws Exception {
    JsonNode held =
        with(
            fixture("policy-rollback-announced"),
            o -> {
              ((ObjectNode) o.path("status").path("rollout")).put("held", true);
              setCondition(o, "RollbackPending", "True", "RollbackHeld");
            });
    assertThat(policyHealth(held).status()).isEqualTo("Suspended");
    assertThat(policyHealth(held).message()).startsWith("Rollback held by a person");

    JsonNode awaitingApproval =
        with(
            fixture("policy-canary-step"),
            o -> {
              ArrayNode steps = (ArrayNode) o.path("spec").path("rollout").path("steps");
              steps.insert(1, YAML.createObjectNode().set("approval", YAML.createObjectNode()));
              ((ObjectNode) o.path("status")).put("step", 1);
            });
    assertThat(policyHealth(awaitingApproval))
        .isEqualTo(
            new Health(
                "Suspended", "Waiting for approval of canary checkout-00002 (lumen.dev/approve)"));

    JsonNode editedOutside =
        with(
            fixture("policy-canary-step"),
            o -> setCondition(o, "Progressing", "False", "TrafficChangedOutsideLumen"));
    assertThat(policyHealth(editedOutside).status()).isEqualTo("Suspended");

    JsonNode pastDeadline =
        with(
            fixture("policy-canary-step"),
            o -> setCondition(o, "Progressing", "False", "ProgressDeadlineExceeded"));
    assertThat(policyHealth(pastDeadline).status()).isEqualTo("Degraded");
  }

  @Test
  void aPolicyLumenHasNotAcceptedIsNotHealthy() throws Exception {
    JsonNode invalid =
        with(fixture("policy-idle"), o -> setCondition(o, "Ready", "False", "SLOTargetNotFound"));
    assertThat(policyHealth(invalid).status()).isEqualTo("Degraded");
    assertThat(policyHealth(invalid).message()).startsWith("SLOTargetNotFound: ");

    JsonNode newSpec =
        with(
            fixture("policy-canary-step"),
            o -> ((ObjectNode) o.path("metadata")).put("generation", 2));
    assertThat(policyHealth(newSpec))
        .isEqualTo(new Health("Progressing", "Waiting for Lumen to look at generation 2"));

    JsonNode unseen = with(fixture("policy-idle"), o -> ((ObjectNode) o).remove("status"));
    assertThat(policyHealth(unseen).status()).isEqualTo("Progressing");
  }

  @Test
  void sloTargetHealthIsDegradedOnlyWhenCritical() throws Exception {
    assertThat(sloHealth(fixture("slotarget-healthy")).status()).isEqualTo("Healthy");
    assertThat(sloHealth(fixture("slotarget-critical")))
        .isEqualTo(new Health("Degraded", "Critical, 50 % of objectives met"));
    JsonNode noData =
        with(
            fixture("slotarget-healthy"),
            o -> {
              ((ObjectNode) o.path("status")).put("state", "NoData");
              ((ObjectNode) o.path("status")).remove("compliance");
            });
    assertThat(sloHealth(noData)).isEqualTo(new Health("Healthy", "NoData"));
    JsonNode invalid =
        with(fixture("slotarget-healthy"), o -> setCondition(o, "Ready", "False", "InvalidSpec"));
    assertThat(sloHealth(invalid).status()).isEqualTo("Degraded");
  }

  @Test
  void actionsAreOfferedWhenTheyMeanSomething() throws Exception {
    assertThat(discover(fixture("policy-rollback-announced")))
        .isEqualTo(
            Map.of(
                "approve", true,
                "promote", false,
                "abort", false,
                "hold-rollback", false,
                "release-rollback", true,
                "retry", true,
                "override-gates", true));
    assertThat(discover(fixture("policy-rolled-back")))
        .containsEntry("retry", false)
        .containsEntry("promote", true)
        .containsEntry("abort", true)
        .containsEntry("hold-rollback", true);
    JsonNode held =
        with(
            fixture("policy-rollback-announced"),
            o -> ((ObjectNode) o.path("status").path("rollout")).put("held", true));
    assertThat(discover(held))
        .containsEntry("hold-rollback", true)
        .containsEntry("release-rollback", false);
    JsonNode blocked =
        with(
            fixture("policy-canary-step"),
            o ->
                ((ObjectNode) o.path("status").path("rollout"))
                    .put("blockedBy", "slo gate: SLOTarget checkout is Critical"));
    assertThat(discover(blocked)).containsEntry("override-gates", false);
    JsonNode watched =
        with(
            fixture("policy-idle"),
            o ->
                ((ObjectNode) o.path("status"))
                    .putObject("rollout")
                    .putObject("watch")
                    .put("revision", "checkout-00002")
                    .put("previousRevision", "checkout-00001"));
    assertThat(discover(watched))
        .as("the watch after promotion can be ended or rolled back")
        .containsEntry("promote", false)
        .containsEntry("abort", false)
        .containsEntry("approve", true);
    assertThat(discover(fixture("policy-idle")))
        .containsEntry("promote", true)
        .containsEntry("abort", true);
  }

  @Test
  void everyActionSetsItsAnnotationAndKeepsTheOthers() throws Exception {
    JsonNode definitions =
        YAML.readTree(DATA.path("resource.customizations.actions.lumen.dev_LumenPolicy").asText())
            .path("definitions");
    List<String> names = new ArrayList<>();
    for (JsonNode definition : definitions) {
      String name = definition.path("name").asText();
      names.add(name);
      String script = definition.path("action.lua").asText();
      JsonNode annotated =
          with(
              fixture("policy-canary-step"),
              o ->
                  ((ObjectNode) o.path("metadata"))
                      .putObject("annotations")
                      .put("team", "payments"));
      assertThat(annotations(script, annotated))
          .as(name)
          .containsExactlyInAnyOrder("team", "lumen.dev/" + name);
      assertThat(annotations(script, fixture("policy-canary-step")))
          .as(name + " on a policy without annotations")
          .containsExactly("lumen.dev/" + name);
    }
    assertThat(names)
        .containsExactly(
            "approve",
            "promote",
            "abort",
            "hold-rollback",
            "release-rollback",
            "retry",
            "override-gates");
  }

  // --- running the scripts ---

  Health policyHealth(JsonNode obj) throws Exception {
    return health("resource.customizations.health.lumen.dev_LumenPolicy", obj);
  }

  Health sloHealth(JsonNode obj) throws Exception {
    return health("resource.customizations.health.lumen.dev_SLOTarget", obj);
  }

  Health health(String key, JsonNode obj) throws Exception {
    List<String> lines =
        lua(DATA.path(key).asText(), obj, "print(result.status)\nprint(result.message)\n");
    return new Health(lines.get(0), lines.get(1));
  }

  Map<String, Boolean> discover(JsonNode obj) throws Exception {
    String script =
        YAML.readTree(DATA.path("resource.customizations.actions.lumen.dev_LumenPolicy").asText())
            .path("discovery.lua")
            .asText();
    var actions = new TreeMap<String, Boolean>();
    for (String line :
        lua(
            script,
            obj,
            "for name, action in pairs(result) do print(name .. '=' .. tostring(action.disabled))"
                + " end\n")) {
      String[] parts = line.split("=");
      actions.put(parts[0], Boolean.parseBoolean(parts[1]));
    }
    return actions;
  }

  List<String> annotations(String script, JsonNode obj) throws Exception {
    return lua(script, obj, "for key, _ in pairs(result.metadata.annotations) do print(key) end\n");
  }

  /** Runs {@code script} as Argo CD does (a chunk with the global obj) and then {@code report}. */
  List<String> lua(String script, JsonNode obj, String report) throws Exception {
    Path file = Files.createTempFile(dir, "script", ".lua");
    Files.writeString(
        file,
        "obj = "
            + LuaLiteral.of(obj)
            + "\nlocal result = (function()\n"
            + script
            + "\nend)()\n"
            + report);
    var run = ExternalProgram.run(dir, Duration.ofSeconds(20), List.of("lua5.1", file.toString()));
    assertThat(run.exitCode()).as(run.output()).isZero();
    return run.output().lines().toList();
  }

  static JsonNode fixture(String name) throws IOException {
    try (InputStream in =
        Objects.requireNonNull(
            ArgoCdLuaTest.class.getResourceAsStream("/dev/lumen/argocd/" + name + ".json"), name)) {
      return YAML.readTree(in);
    }
  }

  static JsonNode with(JsonNode original, Consumer<JsonNode> change) {
    JsonNode copy = original.deepCopy();
    change.accept(copy);
    return copy;
  }

  static void setCondition(JsonNode obj, String type, String status, String reason) {
    for (JsonNode condition : obj.path("status").path("conditions")) {
      if (condition.path("type").asText().equals(type)) {
        ((ObjectNode) condition).put("status", status).put("reason", reason);
        return;
      }
    }
    throw new IllegalArgumentException("no condition " + type);
  }
}
