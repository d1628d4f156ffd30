package dev.lumen.notify;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.cycle.PolicyCycle;
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

  /** The error-budget alert of an SLOTarget the policy names, sent with the policy's alerts. */
  public static void addBudgetBurn(
      Map<String, Alert> alerts, LumenPolicy policy, SLOTarget target) {
    String name = "LumenErrorBudgetBurn";
    String slotarget = target.getMetadata().getName();
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
                        "PageBurnRate".equals(c.reason()) ? "critical" : "warning",
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
