package dev.lumen.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.monitoring.MonitoringObjects;
import dev.lumen.validation.CrdSchemas;
import dev.lumen.validation.ResourceValidator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Renders the Cloud Monitoring objects SLOTargets stand for, offline. */
@Command(
    name = "monitoring",
    description = {
      "Render the Cloud Monitoring objects each SLOTarget stands for, as the APIs' JSON: a"
          + " Service for its Cloud Run service, a ServiceLevelObjective per objective the SLO API"
          + " can express (the others are named with the reason), multi-window burn-rate alert"
          + " policies with the factors of `lumen rules`, and a dashboard.",
      "Prints a JSON array, one document per SLOTarget, to stdout or --output.",
      "Exit code 0 on success, 1 when a resource is invalid or no SLOTarget is given, 2 on bad"
          + " arguments."
    },
    mixinStandardHelpOptions = true)
public final class MonitoringCommand implements Callable<Integer> {
  @Option(
      names = "--slo",
      paramLabel = "FILE",
      required = true,
      description = "SLOTarget YAML files or directories (other kinds in them are skipped).")
  List<Path> sloFiles = new ArrayList<>();

  @Option(
      names = "--policy",
      paramLabel = "FILE",
      description =
          "LumenPolicy YAML files or directories: a policy of the same service draws its gates'"
              + " limits on the dashboard (maturity minimum, ROI levels, budget).")
  List<Path> policyFiles = new ArrayList<>();

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write here instead of stdout.")
  Path output;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    var validator = new ResourceValidator(CrdSchemas.load());
    var sloTargets = ValidResources.read(sloFiles, SLOTarget.class, validator, err);
    var policies = ValidResources.read(policyFiles, LumenPolicy.class, validator, err);
    int problems = sloTargets.problems() + policies.problems();
    if (problems > 0) {
      err.printf("monitoring: %d problem(s); nothing written%n", problems);
      return 1;
    }
    if (sloTargets.found().isEmpty()) {
      err.println("monitoring: no SLOTarget in " + sloFiles);
      return 1;
    }
    var mapper = new ObjectMapper();
    ArrayNode documents = mapper.createArrayNode();
    for (var found : sloTargets.found()) {
      SLOTarget target = found.resource();
      var objects = MonitoringObjects.of(target, policyOf(target, policies.resources()));
      String subject = found.file() + ": SLOTarget/" + target.getMetadata().getName();
      objects
          .notExpressed()
          .forEach(
              n ->
                  err.println(
                      subject
                          + ": no ServiceLevelObjective for "
                          + n.objective()
                          + ": "
                          + n.why()));
      var document = mapper.createObjectNode();
      document.put(
          "sloTarget",
          Optional.ofNullable(target.getMetadata().getNamespace()).orElse("default")
              + "/"
              + target.getMetadata().getName());
      document.setAll((com.fasterxml.jackson.databind.node.ObjectNode) objects.toJson());
      documents.add(document);
    }
    String rendered = mapper.writerWithDefaultPrettyPrinter().writeValueAsString(documents) + "\n";
    if (output != null) {
      Files.writeString(output, rendered);
      err.printf("monitoring: %d SLOTarget(s) written to %s%n", documents.size(), output);
    } else {
      spec.commandLine().getOut().print(rendered);
      spec.commandLine().getOut().flush();
    }
    return 0;
  }

  /** The policy of the same Cloud Run service, if the files hold one. */
  private static Optional<LumenPolicy> policyOf(SLOTarget target, List<LumenPolicy> policies) {
    var service = target.getSpec().service().cloudRun();
    return policies.stream()
        .filter(p -> service.equals(p.getSpec().service().cloudRun()))
        .findFirst();
  }
}
