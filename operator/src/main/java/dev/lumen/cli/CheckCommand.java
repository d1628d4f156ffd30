package dev.lumen.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.SLOTarget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A health check for scripts and CI: the state of SLOTargets and the health of LumenPolicies as an
 * exit code, from a cluster's status or, with no cluster, from SLOTarget files measured straight
 * from Cloud Monitoring.
 */
@Command(
    name = "check",
    description = {
      "Check SLOTargets and LumenPolicies and exit with their worst verdict: 0 healthy (SLOTarget"
          + " Healthy, policy Excellent or Good), 1 warning (Warning, Fair), 2 critical"
          + " (Critical, Poor), 3 could not evaluate (no status or data yet, not Ready, a source"
          + " that does not answer).",
      "From the cluster of the kubeconfig (-n, -A, -l), or with --slo FILE from SLOTarget YAML"
          + " evaluated once straight from Cloud Monitoring (Application Default Credentials),"
          + " no cluster needed.",
      "Prints a table, or with --json one JSON document."
    },
    mixinStandardHelpOptions = true)
public final class CheckCommand implements Callable<Integer> {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Function<Optional<Path>, KubernetesClient> clients;

  public CheckCommand() {
    this(NotifyTestCommand::clusterClient);
  }

  CheckCommand(Function<Optional<Path>, KubernetesClient> clients) {
    this.clients = clients;
  }

  @Option(
      names = {"-n", "--namespace"},
      description = "Namespaces to check; repeatable (default: the kubeconfig context's).")
  List<String> namespaces = new ArrayList<>();

  @Option(
      names = {"-A", "--all-namespaces"},
      description = "Check every namespace.")
  boolean allNamespaces;

  @Option(
      names = {"-l", "--selector"},
      description = "Only resources with these labels, e.g. team=payments.")
  String selector;

  @Option(
      names = "--kind",
      description = "Only this kind: slotarget or lumenpolicy (default: both).")
  String kind;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description = "The kubeconfig to use (default: $KUBECONFIG, else ~/.kube/config).")
  Path kubeconfig;

  @Option(
      names = "--slo",
      paramLabel = "FILE",
      description =
          "Evaluate the SLOTargets in these YAML files (or directories) from Cloud Monitoring"
              + " now, without a cluster; repeatable.")
  List<Path> sloFiles = new ArrayList<>();

  @Option(names = "--json", description = "Print one JSON document instead of the table.")
  boolean json;

  @Mixin GoogleEndpoints endpoints;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Verdict> verdicts;
    if (!sloFiles.isEmpty()) {
      verdicts =
          new SloFileCheck(endpoints.monitoring(spec, SloFileCheck.DEADLINE)).check(sloFiles, err);
    } else {
      try (KubernetesClient client = clients.apply(Optional.ofNullable(kubeconfig))) {
        verdicts = fromCluster(client);
      } catch (KubernetesClientException e) {
        err.println("check: the cluster could not be read: " + e.getMessage());
        return Verdict.UNKNOWN;
      }
    }
    if (verdicts.isEmpty()) {
      err.println("check: nothing to check: no SLOTarget or LumenPolicy found");
      return Verdict.UNKNOWN;
    }
    int code = verdicts.stream().mapToInt(Verdict::code).max().orElse(Verdict.UNKNOWN);
    if (json) {
      Map<String, Object> document = new LinkedHashMap<>();
      document.put("verdict", Verdict.label(code));
      document.put("exitCode", code);
      document.put("resources", verdicts.stream().map(CheckCommand::asMap).toList());
      out.println(JSON.writeValueAsString(document));
    } else {
      out.println(table(verdicts));
      out.println("verdict: " + Verdict.label(code) + " (exit " + code + ")");
    }
    return code;
  }

  private List<Verdict> fromCluster(KubernetesClient client) {
    List<Verdict> verdicts = new ArrayList<>();
    List<String> where =
        allNamespaces
            ? List.of()
            : namespaces.isEmpty()
                ? List.of(client.getNamespace() == null ? "default" : client.getNamespace())
                : namespaces;
    boolean slos = kind == null || kind.toLowerCase().startsWith("slo");
    boolean policies = kind == null || kind.toLowerCase().startsWith("l");
    // null: every namespace.
    for (String ns : allNamespaces ? java.util.Collections.<String>singletonList(null) : where) {
      if (slos) {
        listed(client.resources(SLOTarget.class), ns).stream()
            .map(Verdict::of)
            .forEach(verdicts::add);
      }
      if (policies) {
        listed(client.resources(LumenPolicy.class), ns).stream()
            .map(Verdict::of)
            .forEach(verdicts::add);
      }
    }
    return verdicts;
  }

  private <T extends io.fabric8.kubernetes.api.model.HasMetadata> List<T> listed(
      io.fabric8.kubernetes.client.dsl.MixedOperation<
              T,
              ? extends io.fabric8.kubernetes.api.model.KubernetesResourceList<T>,
              ? extends io.fabric8.kubernetes.client.dsl.Resource<T>>
          resources,
      String namespace) {
    var scope = namespace == null ? resources.inAnyNamespace() : resources.inNamespace(namespace);
    var list = selector == null ? scope.list() : scope.withLabelSelector(selector).list();
    return list.getItems();
  }

  private static Map<String, Object> asMap(Verdict v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", v.kind());
    m.put("namespace", v.namespace());
    m.put("name", v.name());
    m.put("state", v.state());
    m.put("verdict", Verdict.label(v.code()));
    m.put("exitCode", v.code());
    m.put("detail", v.detail());
    return m;
  }

  static String table(List<Verdict> verdicts) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"KIND", "NAMESPACE", "NAME", "STATE", "VERDICT", "DETAIL"});
    for (Verdict v : verdicts) {
      rows.add(
          new String[] {
            v.kind(),
            v.namespace() == null ? "-" : v.namespace(),
            v.name(),
            v.state(),
            Verdict.label(v.code()),
            v.detail()
          });
    }
    int[] widths = new int[5];
    for (String[] row : rows) {
      for (int i = 0; i < widths.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (String[] row : rows) {
      for (int i = 0; i < widths.length; i++) {
        text.append(String.format("%-" + widths[i] + "s  ", row[i]));
      }
      text.append(row[5]).append('\n');
    }
    return text.toString().stripTrailing();
  }
}
