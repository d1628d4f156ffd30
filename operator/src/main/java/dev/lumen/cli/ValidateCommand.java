package dev.lumen.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lumen.validation.CrdSchemas;
import dev.lumen.validation.ResourceValidator;
import dev.lumen.validation.Validation;
import dev.lumen.validation.Violation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Checks LumenPolicy and SLOTarget manifests offline against the operator's own rules. */
@Command(
    name = "validate",
    description = {
      "Check LumenPolicy and SLOTarget YAML offline: the CRD schema and CEL rules, then the"
          + " operator's semantic checks.",
      "Prints one line per problem: FILE: <kind>/<name>: <field>: <problem and fix>.",
      "Exit code 0 when every resource is valid, 1 when any problem was found."
    },
    mixinStandardHelpOptions = true)
public final class ValidateCommand implements Callable<Integer> {
  /**
   * The problems of a scenario file, or empty when none could be found; the operator's jar has no
   * simulator, so it only counts them, and the local tool ({@code ./lumen validate}) checks them.
   */
  private final Optional<Function<Path, List<String>>> scenarioProblems;

  public ValidateCommand() {
    this(Optional.empty());
  }

  public ValidateCommand(Optional<Function<Path, List<String>>> scenarioProblems) {
    this.scenarioProblems = scenarioProblems;
  }

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "YAML files or directories.")
  List<Path> paths;

  @Option(
      names = "--skip-references",
      description =
          "Do not require SLOTargets named by a policy to be among the files (for validating a"
              + " policy whose SLOTargets live elsewhere).")
  boolean skipReferences;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    var validator = new ResourceValidator(CrdSchemas.load());
    List<Manifests.Document> documents = new ArrayList<>();
    List<Path> files = Manifests.expand(paths);
    for (Path file : files) {
      documents.addAll(Manifests.read(file));
    }
    var references = new FileReferences(!skipReferences);
    for (var document : documents) {
      if (document.readable() && "SLOTarget".equals(document.content().path("kind").asText())) {
        references.addSloTarget(namespaceOf(document.content()), nameOf(document.content()));
      }
    }

    int problems = 0;
    int resources = 0;
    int scenarios = 0;
    for (var document : documents) {
      if (!document.readable()) {
        out.println(document.file() + ": -: " + document.error());
        problems++;
        continue;
      }
      JsonNode content = document.content();
      if (isSecret(content)) {
        continue;
      }
      if (Manifests.isScenario(content)) {
        scenarios++;
        for (String problem :
            scenarioProblems.map(check -> check.apply(document.file())).orElse(List.of())) {
          // A scenario names itself at the top level, not in metadata.
          out.println(
              document.file() + ": Scenario/" + content.path("name").asText("") + ": " + problem);
          problems++;
        }
        continue;
      }
      resources++;
      Validation validation = validator.validate(content, references);
      String subject =
          (validation.kind().isEmpty() ? "(no kind)" : validation.kind())
              + "/"
              + (validation.name().isEmpty()
                  ? "(document " + document.index() + ")"
                  : validation.name());
      for (Violation violation : validation.violations()) {
        out.println(document.file() + ": " + subject + ": " + violation);
        problems++;
      }
    }
    err.printf(
        "validate: %d resource(s)%s in %d file(s), %d problem(s)%n",
        resources,
        scenarios == 0
            ? ""
            : " and "
                + scenarios
                + " scenario(s)"
                + (scenarioProblems.isPresent()
                    ? ""
                    : " (not checked: ./lumen validate checks them)"),
        files.size(),
        problems);
    return problems == 0 ? 0 : 1;
  }

  /** Secrets may accompany policies in a directory; they are the cluster's to check. */
  private static boolean isSecret(JsonNode content) {
    return "v1".equals(content.path("apiVersion").asText())
        && "Secret".equals(content.path("kind").asText());
  }

  private static String namespaceOf(JsonNode content) {
    return content.path("metadata").path("namespace").asText("default");
  }

  private static String nameOf(JsonNode content) {
    return content.path("metadata").path("name").asText("");
  }
}
