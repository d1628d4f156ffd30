package dev.lumen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.testkit.CommandRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {
  static final String SAMPLES = System.getProperty("lumen.samples.dir");
  static final String SERVICE =
      "  service: {cloudRun: {project: my-project, region: us-central1, name: ion-api}}\n";

  @TempDir Path dir;

  @Test
  void everySampleIsValid() {
    CommandRun run = CommandRun.of(LumenCommand.commandLine(), "validate", SAMPLES);

    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .contains(
            "6 resource(s) and 13 scenario(s) (not checked: ./lumen validate checks them) in 21"
                + " file(s), 0 problem(s)");
    assertThat(run.exitCode()).isZero();
  }

  @Test
  void printsOneLinePerProblemWithFileKindNameAndField() throws IOException {
    Path file =
        write(
            "policy.yaml",
            "apiVersion: lumen.dev/v1alpha1\nkind: LumenPolicy\nmetadata: {name: web}\nspec:\n"
                + SERVICE
                + "  mode: Yolo\n  rollout: {analysis: {interval: soon}}\n");

    CommandRun run = CommandRun.of(LumenCommand.commandLine(), "validate", file.toString());

    assertThat(run.out().lines())
        .containsExactly(
            file
                + ": LumenPolicy/web: spec.mode: unsupported value \"Yolo\"; use one of: DryRun,"
                + " Enforce",
            file
                + ": LumenPolicy/web: spec.rollout.analysis.interval: invalid value \"soon\";"
                + " expected a duration such as 200ms, 30s, 10m or 1h30m");
    assertThat(run.exitCode()).isEqualTo(1);
  }

  @Test
  void namesTheFieldOfADurationTooLongToCountInsteadOfDying() throws IOException {
    Path file =
        write(
            "policy.yaml",
            "apiVersion: lumen.dev/v1alpha1\nkind: LumenPolicy\nmetadata: {name: web}\nspec:\n"
                + SERVICE
                + "  rollout: {rollback: {gracePeriod: 999999999999999h}}\n---\n"
                + "apiVersion: lumen.dev/v1alpha1\nkind: LumenPolicy\nmetadata: {name: slow}\n"
                + "spec:\n"
                + SERVICE
                + "  rollout: {analysis: {maxLatencyP95: 900000s}}\n");

    CommandRun run = CommandRun.of(LumenCommand.commandLine(), "validate", file.toString());

    assertThat(run.out().lines())
        .containsExactly(
            file
                + ": LumenPolicy/web: spec.rollout.rollback.gracePeriod: invalid value"
                + " \"999999999999999h\"; expected a duration such as 200ms, 30s, 10m or 1h30m",
            file
                + ": LumenPolicy/slow: spec.rollout.analysis.maxLatencyP95: maxLatencyP95 must be at"
                + " most 1h");
    assertThat(run.exitCode()).isEqualTo(1);
  }

  @Test
  void checksPolicyReferencesAgainstTheGivenFilesUnlessToldNotTo() throws IOException {
    Path file =
        write(
            "policy.yaml",
            "apiVersion: lumen.dev/v1alpha1\nkind: LumenPolicy\nmetadata: {name: web}\nspec:\n"
                + SERVICE
                + "  sloTargets: [web]\n");

    CommandRun alone = CommandRun.of(LumenCommand.commandLine(), "validate", file.toString());
    CommandRun skipping =
        CommandRun.of(LumenCommand.commandLine(), "validate", "--skip-references", file.toString());

    assertThat(alone.out())
        .isEqualTo(
            file
                + ": LumenPolicy/web: spec.sloTargets[0]: SLOTarget \"web\" does not exist in"
                + " namespace \"default\"; create it or remove it from spec.sloTargets\n");
    assertThat(alone.exitCode()).isEqualTo(1);
    assertThat(skipping.exitCode()).isZero();
  }

  @Test
  void reportsMalformedYamlUnknownKindsDuplicateKeysAndMissingFilesWithoutStackTraces()
      throws IOException {
    Path malformed = write("malformed.yaml", "kind: SLOTarget\nspec: {objectives: [\n");
    Path unknownKind =
        write(
            "unknown.yaml",
            "apiVersion: lumen.dev/v1alpha1\nkind: LumenPolcy\nmetadata: {name: x}\n");
    Path duplicateKey =
        write(
            "duplicate.yaml",
            "apiVersion: lumen.dev/v1alpha1\nkind: SLOTarget\nmetadata: {name: x}\nmetadata: {name: y}\n");
    Path missing = dir.resolve("missing.yaml");

    CommandRun run =
        CommandRun.of(
            LumenCommand.commandLine(),
            "validate",
            malformed.toString(),
            unknownKind.toString(),
            duplicateKey.toString(),
            missing.toString());

    assertThat(run.out().lines())
        .containsExactly(
            malformed + ": -: line 2, column 21: malformed YAML: while parsing a flow node",
            unknownKind
                + ": LumenPolcy/x: kind: unknown kind \"lumen.dev/v1alpha1/LumenPolcy\"; Lumen"
                + " defines LumenPolicy, SLOTarget and LumenProjectBinding in apiVersion"
                + " lumen.dev/v1alpha1",
            duplicateKey + ": -: line 4, column 9: malformed YAML: Duplicate field 'metadata'",
            missing + ": -: cannot read the file: " + missing + " (No such file or directory)");
    assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(run.exitCode()).isEqualTo(1);
  }

  @Test
  void acceptsSecretsBesidePoliciesAndReadsEveryDocumentOfAFile() throws IOException {
    Path file =
        write(
            "all.yaml",
            "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {url: x}\n---\n"
                + "apiVersion: lumen.dev/v1alpha1\nkind: SLOTarget\nmetadata: {name: web}\nspec:\n"
                + SERVICE
                + "  objectives: [{name: a, availability: {}}]\n---\n"
                + "apiVersion: lumen.dev/v1alpha1\nkind: LumenPolicy\nmetadata: {name: web}\nspec:\n"
                + SERVICE
                + "  sloTargets: [web]\n");

    CommandRun run = CommandRun.of(LumenCommand.commandLine(), "validate", file.toString());

    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("2 resource(s) in 1 file(s), 0 problem(s)");
    assertThat(run.exitCode()).isZero();
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }
}
