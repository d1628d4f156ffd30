package dev.lumen.notify;

import dev.lumen.api.v1alpha1.BurnRateStatus;
import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.NotificationsSpec;
import dev.lumen.api.v1alpha1.Objective;
import dev.lumen.api.v1alpha1.ObjectiveStatus;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.cycle.PolicyCycle;
import dev.lumen.engine.Severity;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The alerts a policy's conditions stand for, and those of the SLOTargets it names, keyed by
 * alertname (and SLOTarget).
 */
public final class Alerts {
  private Alerts() {}

  public static Map<String, Alert> of(LumenPolicy policy) {
    Map<String, Alert> alerts = new LinkedHashMap<>();
    List<Condition> conditions =
        conditions(policy.getStatus() == null ? null : policy.getStatus().getConditions());
    // In DryRun a rollback is what Lumen would have done: worth a warning, never a page.
    find(conditions, Conditions.DEGRADED, Condition.Status.True)
        .ifPresent(
            c ->
                fire(
                    alerts,
                    dryRun(c)
                        ? "LumenDryRunRollback"
                        : PolicyCycle.ROLLBACK_FAILED.equals(c.reason())
                            ? "LumenRollbackFailed"
                            : "LumenPolicyDegraded",
                    dryRun(c) ? "warning" : "critical",
                    policy,
                    c));
    find(conditions, Conditions.ROLLBACK_PENDING, Condition.Status.True)
        .filter(c -> !dryRun(c))
        .ifPresent(c -> fire(alerts, "LumenRollbackPending", "critical", policy, c));
    find(conditions, Conditions.PROGRESSING, Condition.Status.False)
        .filter(c -> "TrafficChangedOutsideLumen".equals(c.reason()))
        .ifPresent(c -> fire(alerts, "LumenRolloutPaused", "warning", policy, c));
    find(conditions, Conditions.READY, Condition.Status.False)
        .ifPresent(c -> fire(alerts, "LumenResourceNotReady", "warning", policy, c));
    return alerts;
  }

  /**
   * An SLOTarget's own alerts, for its {@code spec.notifications.alertmanager}: each objective not
   * met ({@code LumenSloObjectiveMissed}) and each burning its error budget too fast ({@code
   * LumenErrorBudgetBurn}), at the objective's severity, with its description and runbook.
   */
  public static Map<String, Alert> of(SLOTarget target) {
    Map<String, Alert> alerts = new LinkedHashMap<>();
    var status = target.getStatus();
    if (status == null
        || status.getObjectives() == null
        || target.getSpec() == null
        || target.getSpec().objectives() == null) {
      // Not evaluated, or a spec that cannot be read: its Ready condition says why.
      return alerts;
    }
    Map<String, Objective> specs = new HashMap<>();
    target.getSpec().objectives().forEach(o -> specs.put(o.name(), o));
    for (ObjectiveStatus objective : status.getObjectives()) {
      Objective spec = specs.get(objective.name());
      if (spec == null) {
        continue;
      }
      if (Boolean.FALSE.equals(objective.met())) {
        alerts.put(
            "LumenSloObjectiveMissed/" + objective.name(),
            objectiveAlert(
                "LumenSloObjectiveMissed",
                Severity.ofBreach(spec),
                target,
                spec,
                objective.name()
                    + " not met: measured "
                    + objective.current()
                    + " against "
                    + objective.target()));
      }
      if (objective.current() == null && objective.met() == null) {
        alerts.put(
            "LumenSliAbsent/" + objective.name(),
            objectiveAlert(
                "LumenSliAbsent",
                Severity.Warning,
                target,
                spec,
                objective.name()
                    + " has no data over the window: no requests, or the metric or query matches"
                    + " nothing"));
      }
      String burn = burning(objective);
      if (burn != null) {
        alerts.put(
            "LumenErrorBudgetBurn/" + objective.name(),
            objectiveAlert(
                "LumenErrorBudgetBurn",
                "Page".equals(burn) ? Severity.ofBreach(spec) : Severity.Warning,
                target,
                spec,
                objective.name()
                    + " burns its error budget too fast ("
                    + burn.toLowerCase(java.util.Locale.ROOT)
                    + "); error budget left "
                    + objective.errorBudgetRemaining()
                    + " %"));
      }
    }
    return alerts;
  }

  /** Page or Ticket: the most severe burn-rate pair firing; null when none fires. */
  private static String burning(ObjectiveStatus objective) {
    String most = null;
    for (var rate :
        objective.burnRates() == null ? List.<BurnRateStatus>of() : objective.burnRates()) {
      if (Boolean.TRUE.equals(rate.firing()) && !"Page".equals(most)) {
        most = rate.severity();
      }
    }
    return most;
  }

  private static Alert objectiveAlert(
      String name, Severity severity, SLOTarget target, Objective objective, String what) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("alertname", name);
    labels.put("severity", severity.label());
    labels.put("service", target.cloudRunService().map(CloudRunServiceReference::name).orElse(""));
    labels.put("namespace", target.getMetadata().getNamespace());
    labels.put("slotarget", target.getMetadata().getName());
    labels.put("objective", objective.name());
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(
        "summary",
        "SLOTarget "
            + target.getMetadata().getName()
            + ": "
            + (objective.description() == null ? objective.name() : objective.description()));
    annotations.put("description", what);
    if (objective.runbookUrl() != null) {
      annotations.put("runbook_url", objective.runbookUrl());
    }
    return new Alert(labels, annotations);
  }

  /** The error-budget alert of an SLOTarget the policy names, sent with the policy's alerts. */
  public static void addBudgetBurn(
      Map<String, Alert> alerts, LumenPolicy policy, SLOTarget target) {
    String name = "LumenErrorBudgetBurn";
    String slotarget = target.getMetadata().getName();
    // As urgent as the SLOTarget's own burn alerts: critical when a Critical objective pages.
    boolean critical =
        of(target).values().stream()
            .anyMatch(
                a ->
                    name.equals(a.labels().get("alertname"))
                        && Severity.Critical.label().equals(a.labels().get("severity")));
    find(
            conditions(target.getStatus() == null ? null : target.getStatus().getConditions()),
            Conditions.BUDGET_BURNING,
            Condition.Status.True)
        .ifPresent(
            c ->
                alerts.put(
                    name + "/" + slotarget,
                    alert(
                        name,
                        critical ? "critical" : "warning",
                        policy,
                        Map.of(
                            "slotarget",
                            slotarget,
                            "service",
                            target
                                .cloudRunService()
                                .map(CloudRunServiceReference::name)
                                .orElse("")),
                        c)));
  }

  /**
   * The Alertmanager of {@code notifications}, also for a resource that is not Ready, whose alert
   * says so; but not a URL that is not one (the resource's Ready condition names that field).
   */
  public static Optional<URI> alertmanagerUrl(NotificationsSpec notifications) {
    if (notifications == null
        || notifications.alertmanager() == null
        || notifications.alertmanager().url() == null) {
      return Optional.empty();
    }
    try {
      URI url = new URI(notifications.alertmanager().url());
      boolean http = "http".equals(url.getScheme()) || "https".equals(url.getScheme());
      return http ? Optional.of(url) : Optional.empty();
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  private static boolean dryRun(Condition condition) {
    return condition.reason() != null && condition.reason().startsWith("DryRun");
  }

  private static void fire(
      Map<String, Alert> alerts, String name, String severity, LumenPolicy policy, Condition c) {
    alerts.put(name, alert(name, severity, policy, Map.of(), c));
  }

  private static List<Condition> conditions(List<Condition> conditions) {
    return conditions == null ? List.of() : conditions;
  }

  private static Optional<Condition> find(
      List<Condition> conditions, String type, Condition.Status status) {
    return conditions.stream()
        .filter(c -> c.type().equals(type) && c.status() == status)
        .findFirst();
  }

  private static Alert alert(
      String name,
      String severity,
      LumenPolicy policy,
      Map<String, String> extraLabels,
      Condition condition) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("alertname", name);
    labels.put("severity", severity);
    labels.put("service", policy.cloudRunService().map(CloudRunServiceReference::name).orElse(""));
    labels.put("namespace", policy.getMetadata().getNamespace());
    labels.put("policy", policy.getMetadata().getName());
    labels.putAll(extraLabels);
    return new Alert(
        labels,
        Map.of(
            "summary",
            "LumenPolicy " + policy.getMetadata().getName() + ": " + condition.reason(),
            "description",
            condition.message() == null ? "" : condition.message()));
  }
}
