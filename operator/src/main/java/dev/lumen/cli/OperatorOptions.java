package dev.lumen.cli;

import dev.lumen.engine.Durations;
import dev.lumen.quota.GoogleCallQuotas;
import dev.lumen.reconciler.Pacing;
import dev.lumen.runtime.OperatorSettings;
import dev.lumen.runtime.Shard;
import dev.lumen.tenancy.AdmissionMap;
import dev.lumen.tenancy.Tenancy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options of every command that runs the operator: {@code run} here, and the local tool's
 * {@code run-local} and {@code run-simulated}, which differ only in where the API server, the
 * Google services and the clock come from.
 */
public final class OperatorOptions {
  @Option(
      names = "--namespaces",
      split = ",",
      paramLabel = "NS",
      description = "Namespaces to watch, comma-separated. Default: all namespaces.")
  List<String> namespaces = new ArrayList<>();

  @Option(
      names = "--port",
      defaultValue = "8080",
      description =
          "Port of /healthz, /readyz and /metrics (0 picks a free port). Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(
      names = "--log-format",
      defaultValue = "plain",
      description =
          "plain (lines for people) or json (one object per line with severity, message and"
              + " time, as Cloud Logging reads a container's output; the libraries' own"
              + " java.util.logging lines too). Default: ${DEFAULT-VALUE}.")
  LogFormat logFormat;

  @Option(
      names = "--leader-election",
      description = "Hold a Kubernetes Lease before reconciling; required with several replicas.")
  boolean leaderElection;

  @Option(
      names = "--shard",
      paramLabel = "i/N",
      description =
          "Serve only the LumenPolicies and SLOTargets whose namespace/name hashes to shard i of N"
              + " (from 0), beside N-1 other operators; each shard holds its own Lease"
              + " (--lease-name plus -shard-i) and 1/N of each per-project call quota. Default:"
              + " all (0/1).")
  String shard;

  @Option(
      names = "--lease-name",
      defaultValue = "lumen-operator",
      description = "Name of the Lease. Default: ${DEFAULT-VALUE}.")
  String leaseName;

  @Option(
      names = "--lease-namespace",
      description = "Namespace of the Lease. Default: $POD_NAMESPACE, else default.")
  String leaseNamespace;

  @Option(
      names = "--lease-duration",
      defaultValue = "15s",
      description =
          "How long after the leader's last renewal another replica takes over. Default:"
              + " ${DEFAULT-VALUE}.")
  String leaseDuration;

  @Option(
      names = "--tenancy",
      description =
          "bound: a namespace manages only the Google projects a LumenProjectBinding gives it;"
              + " single-team: every namespace manages every service the operator's Google account"
              + " reaches (small installs, the demo). Default: bound.")
  String tenancy;

  @Option(
      names = "--admission-map",
      paramLabel = "NAMESPACE/NAME",
      description =
          "In the bound tenancy, keep this ConfigMap filled with the LumenProjectBindings in the"
              + " form the chart's ValidatingAdmissionPolicy reads, so an unbound LumenPolicy or"
              + " SLOTarget is refused at kubectl apply. Default: none.")
  String admissionMap;

  /** What --tenancy means when not given; the simulated runs make it single-team. */
  private Tenancy.Mode tenancyDefault = Tenancy.Mode.bound;

  @Option(
      names = "--reconcile-threads",
      defaultValue = "10",
      description = "Reconciliations that may run at once. Default: ${DEFAULT-VALUE}.")
  int reconcileThreads;

  @Option(
      names = "--request-timeout",
      defaultValue = "5s",
      description = "Deadline of each Kubernetes API request. Default: ${DEFAULT-VALUE}.")
  String requestTimeout;

  @Option(
      names = "--google-deadline",
      defaultValue = "5s",
      description =
          "Deadline of each Google API, Redis and Prometheus call. Default: ${DEFAULT-VALUE}.")
  String googleDeadline;

  @Option(
      names = "--monitoring-calls-per-minute",
      defaultValue = "" + GoogleCallQuotas.DEFAULT_CALLS_PER_MINUTE,
      description =
          "Most Cloud Monitoring reads per project in any minute; a read past it waits up to"
              + " --google-deadline, then the evaluation reports a gap. Default: ${DEFAULT-VALUE}.")
  int monitoringCallsPerMinute;

  @Option(
      names = "--cloud-run-calls-per-minute",
      defaultValue = "" + GoogleCallQuotas.DEFAULT_CALLS_PER_MINUTE,
      description =
          "Most Cloud Run Admin API calls per project in any minute, likewise. Default:"
              + " ${DEFAULT-VALUE}.")
  int cloudRunCallsPerMinute;

  @Option(
      names = "--namespace-share",
      defaultValue = "" + GoogleCallQuotas.DEFAULT_NAMESPACE_SHARE,
      description =
          "The part of each per-project quota one namespace's resources may spend, so one team"
              + " cannot use up another's calls; 1 turns the split off. Default: ${DEFAULT-VALUE}.")
  double namespaceShare;

  @Option(
      names = "--metric-data-delay",
      defaultValue = "3m",
      description =
          "How long after the fact Cloud Monitoring has a minute's samples; metric windows end"
              + " this long before now. Default: ${DEFAULT-VALUE}.")
  String metricDataDelay;

  @Option(
      names = "--prometheus-rules",
      description =
          "Keep a PrometheusRule (Prometheus Operator) with the burn-rate alerts of each"
              + " SLOTarget, owned by it; what `lumen rules` renders. Needs the PrometheusRule"
              + " CRD and RBAC on prometheusrules.")
  boolean prometheusRules;

  @Option(
      names = "--cloud-monitoring-objects",
      description =
          "Keep each SLOTarget's Cloud Monitoring objects in its metrics project: a Service, its"
              + " SLOs, burn-rate alert policies and a dashboard, what `lumen monitoring` renders;"
              + " repaired within 10 minutes of a hand edit, deleted with the SLOTarget (which"
              + " then carries the finalizer lumen.dev/monitoring-objects). Needs"
              + " roles/monitoring.editor on those projects.")
  boolean cloudMonitoringObjects;

  @Option(
      names = "--cloud-monitoring-figures",
      description =
          "Write Lumen's figures (SLO compliance and state, objective values, budget left, burn"
              + " rates, maturity, health, ROI, cost, canary weight, decisions) as Cloud Monitoring"
              + " custom metrics custom.googleapis.com/lumen/..., once a minute per series, for the"
              + " dashboard of --cloud-monitoring-objects. Custom metrics are billed by volume:"
              + " docs/cloud-monitoring.md.")
  boolean cloudMonitoringFigures;

  @Option(
      names = "--prometheus-rules-label",
      paramLabel = "KEY=VALUE",
      description =
          "Label of each PrometheusRule, e.g. release=prometheus for the Prometheus Operator's"
              + " ruleSelector; repeatable.")
  Map<String, String> prometheusRuleLabels = new LinkedHashMap<>();

  @Option(
      names = "--apply",
      paramLabel = "FILE",
      description =
          "Manifests (files or directories) to apply once the operator runs, like kubectl apply"
              + " -f; then print what the operator made of each LumenPolicy and SLOTarget.")
  List<Path> apply = new ArrayList<>();

  @Option(
      names = "--duration",
      description = "Stop after this long (e.g. 30s). Default: run until interrupted.")
  String duration;

  /** Rejects combinations picocli cannot express, as usage errors. */
  public void check(CommandSpec spec) {
    if (admissionMap != null
        && !admissionMap.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?/[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
      throw new ParameterException(
          spec.commandLine(),
          "--admission-map "
              + admissionMap
              + ": give NAMESPACE/NAME of a ConfigMap, e.g. lumen-system/lumen-project-bindings");
    }
    if (!(namespaceShare > 0 && namespaceShare <= 1)) {
      throw new ParameterException(
          spec.commandLine(), "--namespace-share must be above 0 and at most 1, e.g. 0.5");
    }
    try {
      shard();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--shard: " + e.getMessage());
    }
    if (monitoringCallsPerMinute < 1 || cloudRunCallsPerMinute < 1) {
      throw new ParameterException(
          spec.commandLine(),
          "--monitoring-calls-per-minute and --cloud-run-calls-per-minute must be at least 1");
    }
    try {
      tenancyMode();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--tenancy: " + e.getMessage());
    }
    if (!prometheusRules && !prometheusRuleLabels.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(),
          "--prometheus-rules-label labels the rules of --prometheus-rules; add that option");
    }
  }

  public OperatorSettings settings(Pacing pacing) throws UnknownHostException {
    Optional<OperatorSettings.LeaderElection> election = Optional.empty();
    if (leaderElection) {
      String namespace =
          leaseNamespace != null
              ? leaseNamespace
              : Optional.ofNullable(System.getenv("POD_NAMESPACE")).orElse("default");
      String identity =
          Optional.ofNullable(System.getenv("POD_NAME"))
              .orElse(
                  InetAddress.getLocalHost().getHostName() + "-" + ProcessHandle.current().pid());
      election =
          Optional.of(
              new OperatorSettings.LeaderElection(
                  shard().leaseName(leaseName),
                  namespace,
                  identity,
                  Durations.parse(leaseDuration)));
    }
    return OperatorSettings.defaults()
        .withNamespaces(new LinkedHashSet<>(namespaces))
        .withLeaderElection(election)
        .withShard(shard())
        .withReconcileThreads(reconcileThreads)
        .withTenancy(tenancyMode())
        .withAdmissionMap(admissionMapName())
        .withMetricDataDelay(Durations.parse(metricDataDelay))
        .withPacing(pacing)
        .withPrometheusRules(
            prometheusRules
                ? Optional.of(new OperatorSettings.PrometheusRules(prometheusRuleLabels))
                : Optional.empty());
  }

  private Optional<AdmissionMap.Location> admissionMapName() {
    if (admissionMap == null) {
      return Optional.empty();
    }
    String[] parts = admissionMap.split("/", -1);
    return Optional.of(new AdmissionMap.Location(parts[0], parts[1]));
  }

  private Tenancy.Mode tenancyMode() {
    return tenancy == null ? tenancyDefault : Tenancy.Mode.ofFlag(tenancy);
  }

  /** Makes {@code mode} what --tenancy means when not given. */
  public OperatorOptions tenancyUnlessGiven(Tenancy.Mode mode) {
    this.tenancyDefault = mode;
    return this;
  }

  public Duration googleDeadline() {
    return Durations.parse(googleDeadline);
  }

  public Duration requestTimeout() {
    return Durations.parse(requestTimeout);
  }

  public List<Path> apply() {
    return apply;
  }

  /** Each shard spends its part of every project's quotas. */
  public GoogleCallQuotas quotas() {
    return new GoogleCallQuotas(
        shard().shareOf(monitoringCallsPerMinute),
        shard().shareOf(cloudRunCallsPerMinute),
        googleDeadline(),
        namespaceShare);
  }

  public Shard shard() {
    return shard == null ? Shard.ALL : Shard.parse(shard);
  }
}
