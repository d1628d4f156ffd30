package dev.lumen.cli;

import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.NotificationsSpec;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.api.v1alpha1.SecretKeyReference;
import dev.lumen.engine.Severity;
import dev.lumen.notify.Alert;
import dev.lumen.notify.Alerts;
import dev.lumen.notify.Notification;
import dev.lumen.notify.Notifier;
import dev.lumen.ports.HttpEndpoint;
import dev.lumen.reconciler.ClusterReferences;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Sends a test message to every channel a LumenPolicy or SLOTarget names. */
@Command(
    name = "notify-test",
    description = {
      "Send a test message to every channel a LumenPolicy or SLOTarget notifies: each Slack"
          + " webhook (main, warning, critical) read from its Secrets, and a test alert to its"
          + " Alertmanager, which resolves by itself within 5 minutes.",
      "Prints one line per channel: the severity it receives, where, and whether it accepted.",
      "Exit code 0 when every channel accepted, 1 when one did not, 2 when the resource cannot"
          + " be found or notifies nowhere, 3 when the cluster cannot be read."
    },
    mixinStandardHelpOptions = true)
public final class NotifyTestCommand implements Callable<Integer> {
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final Function<Optional<Path>, KubernetesClient> clients;
  private final Clock clock;

  public NotifyTestCommand() {
    this(NotifyTestCommand::clusterClient, Clock.systemUTC());
  }

  NotifyTestCommand(Function<Optional<Path>, KubernetesClient> clients, Clock clock) {
    this.clients = clients;
    this.clock = clock;
  }

  @Parameters(
      paramLabel = "KIND/NAME",
      description = "The resource, e.g. lumenpolicy/checkout or slotarget/checkout (lp, slo).")
  String resource;

  @Option(
      names = {"-n", "--namespace"},
      description = "Its namespace (default: the kubeconfig context's, else default).")
  String namespace;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description = "The kubeconfig to use (default: $KUBECONFIG, else ~/.kube/config).")
  Path kubeconfig;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  /** A channel that was tried. */
  record Tried(String channel, String severity, boolean accepted, String answer) {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String[] parts = resource.split("/", 2);
    if (parts.length != 2 || parts[1].isBlank()) {
      err.println("notify-test: give KIND/NAME, e.g. lumenpolicy/checkout or slotarget/checkout");
      return 2;
    }
    try (KubernetesClient client = clients.apply(Optional.ofNullable(kubeconfig))) {
      String ns = namespace != null ? namespace : contextNamespace(client);
      Optional<Subject> subject = subject(client, parts[0].toLowerCase(), parts[1], ns);
      if (subject.isEmpty()) {
        err.println(
            "notify-test: "
                + resource
                + " not found in namespace "
                + ns
                + " (kinds: lumenpolicy, lp, slotarget, slo)");
        return 2;
      }
      List<Tried> tried = send(subject.get(), new ClusterReferences((a, b) -> true, client), ns);
      if (tried.isEmpty()) {
        err.println(
            "notify-test: "
                + resource
                + " has no spec.notifications (slack or alertmanager): nothing to test");
        return 2;
      }
      for (Tried t : tried) {
        out.printf(
            "%-9s %-46s %s%n",
            t.severity(), t.channel(), (t.accepted() ? "sent" : "FAILED: ") + t.answer());
      }
      return tried.stream().allMatch(Tried::accepted) ? 0 : 1;
    } catch (KubernetesClientException e) {
      err.println("notify-test: the cluster could not be read: " + e.getMessage());
      return 3;
    }
  }

  /** What a resource is called in messages, and where it notifies. */
  record Subject(String kind, String name, String service, NotificationsSpec notifications) {}

  private static Optional<Subject> subject(
      KubernetesClient client, String kind, String name, String namespace) {
    switch (kind) {
      case "lumenpolicy", "lumenpolicies", "lp" -> {
        LumenPolicy p =
            client.resources(LumenPolicy.class).inNamespace(namespace).withName(name).get();
        return Optional.ofNullable(p)
            .map(
                x ->
                    new Subject(
                        "LumenPolicy",
                        name,
                        x.cloudRunService().map(s -> s.name()).orElse("?"),
                        x.getSpec() == null ? null : x.getSpec().notifications()));
      }
      case "slotarget", "slotargets", "slo" -> {
        SLOTarget t = client.resources(SLOTarget.class).inNamespace(namespace).withName(name).get();
        return Optional.ofNullable(t)
            .map(
                x ->
                    new Subject(
                        "SLOTarget",
                        name,
                        x.cloudRunService().map(s -> s.name()).orElse("?"),
                        x.getSpec() == null ? null : x.getSpec().notifications()));
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  private List<Tried> send(Subject subject, ClusterReferences references, String namespace) {
    var notifier = new Notifier(TIMEOUT);
    List<Tried> tried = new ArrayList<>();
    NotificationsSpec notifications = subject.notifications();
    if (notifications == null) {
      return tried;
    }
    var slack = notifications.slack();
    if (slack != null) {
      // One test per webhook, telling which severities it receives.
      Map<String, List<Severity>> severities = new LinkedHashMap<>();
      Map<String, SecretKeyReference> refs = new LinkedHashMap<>();
      refs.put("webhookSecretRef", slack.webhookSecretRef());
      refs.put("warningWebhookSecretRef", slack.warningWebhookSecretRef());
      refs.put("criticalWebhookSecretRef", slack.criticalWebhookSecretRef());
      var channels = references.slackChannels(namespace, notifications);
      for (Severity severity : Severity.values()) {
        channels
            .route(severity)
            .ifPresent(
                u ->
                    severities.computeIfAbsent(u.toString(), k -> new ArrayList<>()).add(severity));
      }
      for (var ref : refs.entrySet()) {
        if (ref.getValue() == null) {
          continue;
        }
        String where =
            "slack "
                + ref.getKey()
                + " ("
                + ref.getValue().name()
                + "/"
                + ref.getValue().key()
                + ")";
        Optional<URI> url = references.secretUrl(namespace, ref.getValue());
        if (url.isEmpty()) {
          tried.add(
              new Tried(
                  where,
                  "-",
                  false,
                  "the Secret or its key is missing, or its value is not a URL"));
          continue;
        }
        List<Severity> receives = severities.getOrDefault(url.get().toString(), List.of());
        Severity shown = receives.isEmpty() ? Severity.Info : receives.get(0);
        String labels = String.join(",", receives.stream().map(Severity::label).toList());
        try {
          notifier.slack(
              url.get(),
              new Notification(
                  namespace,
                  subject.kind() + "/" + subject.name(),
                  subject.service(),
                  shown,
                  "NotifyTest",
                  "a test from lumen notify-test: this channel receives "
                      + (labels.isEmpty() ? "nothing (another webhook has the same URL)" : labels)
                      + " messages of "
                      + subject.kind()
                      + " "
                      + subject.name()));
          tried.add(new Tried(where, labels, true, ""));
        } catch (IOException e) {
          tried.add(new Tried(where, labels, false, e.getMessage()));
        }
      }
    }
    Optional<URI> alertmanager = Alerts.alertmanagerUrl(notifications);
    if (notifications.alertmanager() != null) {
      String where = "alertmanager " + notifications.alertmanager().url();
      if (alertmanager.isEmpty()) {
        tried.add(new Tried(where, "-", false, "not an http(s) URL"));
      } else {
        Instant now = clock.instant();
        var alert =
            new Alert(
                Map.of(
                    "alertname",
                    "LumenNotifyTest",
                    "severity",
                    Severity.Info.label(),
                    "namespace",
                    namespace,
                    "service",
                    subject.service(),
                    subject.kind().equals("SLOTarget") ? "slotarget" : "policy",
                    subject.name()),
                Map.of(
                    "summary",
                    "A test from lumen notify-test",
                    "description",
                    "Sent by lumen notify-test for "
                        + subject.kind()
                        + " "
                        + subject.name()
                        + "; it resolves by itself within 5 minutes."));
        try {
          notifier.alerts(
              new HttpEndpoint(
                  alertmanager.get(),
                  references.authorization(namespace, notifications.alertmanager().auth())),
              List.of(alert),
              List.of(),
              now,
              now.plus(Duration.ofMinutes(5)));
          tried.add(new Tried(where, "info", true, ""));
        } catch (IOException e) {
          tried.add(new Tried(where, "info", false, e.getMessage()));
        }
      }
    }
    return tried;
  }

  private static String contextNamespace(KubernetesClient client) {
    String ns = client.getNamespace();
    return ns == null ? "default" : ns;
  }

  /** The cluster of {@code kubeconfig}, else of $KUBECONFIG or ~/.kube/config. */
  static KubernetesClient clusterClient(Optional<Path> kubeconfig) {
    return ClusterClients.of(kubeconfig, TIMEOUT);
  }
}
