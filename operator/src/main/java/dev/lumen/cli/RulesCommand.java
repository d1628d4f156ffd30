package dev.lumen.cli;

import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.rules.OperatorAlertRules;
import dev.lumen.rules.RuleGroup;
import dev.lumen.rules.RulesYaml;
import dev.lumen.rules.SloAlertRules;
import dev.lumen.validation.CrdSchemas;
import dev.lumen.validation.ResourceValidator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Renders Prometheus alerting rules from SLOTargets, plus the operator's own health alerts. */
@Command(
    name = "rules",
    description = {
      "Render Prometheus alerts from SLOTargets: multi-window, multi-burn-rate alerts (the SRE"
          + " workbook's windows, burn page and ticket, severity critical or warning) over Cloud"
          + " Run's metrics as Managed"
          + " Service for Prometheus names them, and the Lumen operator's own health alerts.",
      "Writes a rules file (for rule_files and promtool) or a PrometheusRule to stdout or --output.",
      "Exit code 0 on success, 1 when an SLOTarget is invalid, 2 on bad arguments."
    },
    mixinStandardHelpOptions = true)
public final class RulesCommand implements Callable<Integer> {
  enum Format {
    rules,
    prometheusrule
  }

  @Option(
      names = "--slo",
      paramLabel = "FILE",
      description = "SLOTarget YAML files or directories (other kinds in them are skipped).")
  List<Path> sloFiles = new ArrayList<>();

  @Option(
      names = "--operator-alerts",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Include the operator's health alerts (default: on; --no-operator-alerts).")
  boolean operatorAlerts;

  @Option(
      names = "--format",
      defaultValue = "rules",
      description = "rules (a Prometheus rules file) or prometheusrule. Default: ${DEFAULT-VALUE}.")
  Format format;

  @Option(
      names = "--name",
      defaultValue = "lumen-slo-alerts",
      description = "metadata.name of the PrometheusRule. Default: ${DEFAULT-VALUE}.")
  String name;

  @Option(names = "--namespace", description = "metadata.namespace of the PrometheusRule.")
  String namespace;

  @Option(
      names = "--label",
      paramLabel = "KEY=VALUE",
      description =
          "Label of the PrometheusRule, e.g. release=prometheus for the Prometheus Operator's"
              + " ruleSelector; repeatable.")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write here instead of stdout.")
  Path output;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (sloFiles.isEmpty() && !operatorAlerts) {
      err.println("rules: nothing to render; give --slo FILE, or leave the operator alerts on");
      return 2;
    }
    var sloTargets =
        ValidResources.read(
            sloFiles, SLOTarget.class, new ResourceValidator(CrdSchemas.load()), err);
    if (sloTargets.problems() > 0) {
      err.printf("rules: %d problem(s); nothing written%n", sloTargets.problems());
      return 1;
    }
    List<RuleGroup> groups = new ArrayList<>();
    for (var found : sloTargets.found()) {
      String subject = found.file() + ": SLOTarget/" + found.resource().getMetadata().getName();
      SloAlertRules.Result result = SloAlertRules.of(found.resource());
      result.skipped().forEach(note -> err.println(subject + ": no alert for objective " + note));
      groups.add(result.group());
    }
    if (!sloFiles.isEmpty() && groups.isEmpty()) {
      err.println("rules: no SLOTarget in " + sloFiles);
      return 1;
    }
    if (operatorAlerts) {
      groups.add(OperatorAlertRules.group());
    }
    String rendered =
        format == Format.rules
            ? RulesYaml.plain(groups)
            : RulesYaml.prometheusRule(name, namespace, labels, groups);
    if (output != null) {
      Files.writeString(output, rendered);
      err.printf("rules: %d group(s) written to %s%n", groups.size(), output);
    } else {
      out.print(rendered);
      out.flush();
    }
    return 0;
  }
}
