package dev.lumen.notify;

import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.SLOTarget;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The alerts a resource's conditions stand for, by alertname. */
public final class Alerts {
  private Alerts() {}

  public static Map<String, Alert> of(LumenPolicy policy) {
    Map<String, Alert> alerts = new LinkedHashMap<>();
    List<Condition> conditions =
        policy.getStatus() == null ? List.of() : policy.getStatus().getConditions();
    String service = policy.getSpec().service().cloudRun().name();
    find(conditions, Conditions.DEGRADED, Condition.Status.True)
        .ifPresent(c -> put(alerts, "LumenPolicyDegraded", "critical", policy, service, c));
    find(conditions, Conditions.ROLLBACK_PENDING, Condition.Status.True)
        .ifPresent(c -> put(alerts, "LumenRollbackPending", "critical", policy, service, c));
    find(conditions, Conditions.PROGRESSING, Condition.Status.False)
        .filter(c -> "TrafficChangedOutsideLumen".equals(c.reason()))
        .ifPresent(c -> put(alerts, "LumenRolloutPaused", "warning", policy, service, c));
    find(conditions, Conditions.READY, Condition.Status.False)
        .ifPresent(c -> put(alerts, "LumenResourceNotReady", "warning", policy, service, c));
    return alerts;
  }

  /** The error-budget alert of an SLOTarget the policy names, sent with the policy's alerts. */
  public static void addBudgetBurn(
      Map<String, Alert> alerts, LumenPolicy policy, SLOTarget target) {
    List<Condition> conditions =
        target.getStatus() == null ? List.of() : target.getStatus().getConditions();
    find(conditions, Conditions.BUDGET_BURNING, Condition.Status.True)
        .ifPresent(
            c -> {
              String name = "LumenErrorBudgetBurn";
              put(
                  alerts,
                  name,
                  "PageBurnRate".equals(c.reason()) ? "critical" : "warning",
                  policy,
                  target.getSpec().service().cloudRun().name(),
                  c);
              Alert alert = alerts.remove(name);
              Map<String, String> labels = new LinkedHashMap<>(alert.labels());
              labels.put("slotarget", target.getMetadata().getName());
              alerts.put(
                  name + "/" + target.getMetadata().getName(),
                  new Alert(labels, alert.annotations()));
            });
  }

  private static Optional<Condition> find(
      List<Condition> conditions, String type, Condition.Status status) {
    return conditions.stream()
        .filter(c -> c.type().equals(type) && c.status() == status)
        .findFirst();
  }

  private static void put(
      Map<String, Alert> alerts,
      String name,
      String severity,
      io.fabric8.kubernetes.api.model.HasMetadata resource,
      String service,
      Condition condition) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("alertname", name);
    labels.put("severity", severity);
    labels.put("service", service);
    labels.put("namespace", resource.getMetadata().getNamespace());
    labels.put(
        resource instanceof LumenPolicy ? "policy" : "slotarget", resource.getMetadata().getName());
    alerts.put(
        name,
        new Alert(
            labels,
            Map.of(
                "summary",
                resource.getKind()
                    + " "
                    + resource.getMetadata().getName()
                    + ": "
                    + condition.reason(),
                "description",
                condition.message() == null ? "" : condition.message())));
  }
}
