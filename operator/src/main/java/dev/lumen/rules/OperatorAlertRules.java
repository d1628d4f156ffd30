package dev.lumen.rules;

import static dev.lumen.rules.SloAlertRules.annotations;

import java.util.List;
import java.util.Map;

/**
 * Alerts on Lumen itself, from the metrics it exports: is it running and leading, can it reach
 * Google and its notification channels, and are the resources it manages healthy. Severities use
 * the same severities as every other alert of Lumen (critical, warning).
 */
public final class OperatorAlertRules {
  public static final String GROUP = "lumen-operator";

  private OperatorAlertRules() {}

  public static RuleGroup group() {
    return new RuleGroup(
        GROUP,
        List.of(
            Rule.alert(
                "LumenOperatorDown",
                "absent(lumen_operator_ready == 1)",
                "5m",
                Map.of("severity", "critical"),
                annotations(
                    "No ready Lumen operator for 5 minutes",
                    "No replica of the Lumen operator reports ready (or none is scraped):"
                        + " rollouts neither progress nor roll back until one does.",
                    "operator-down")),
            Rule.alert(
                "LumenOperatorNoLeader",
                "max(lumen_operator_leader) < 1",
                "5m",
                Map.of("severity", "critical"),
                annotations(
                    "Lumen replicas run, but none leads",
                    "Every Lumen replica is waiting for the leader-election Lease; check the"
                        + " operator's logs and its RBAC on leases.",
                    "no-leader")),
            Rule.alert(
                "LumenGoogleApiErrors",
                "sum by (api, method) (rate(lumen_api_calls_total{result!=\"ok\"}[10m]))\n"
                    + "/\n"
                    + "sum by (api, method) (rate(lumen_api_calls_total[10m]))\n"
                    + "> 0.1",
                "15m",
                Map.of("severity", "warning"),
                annotations(
                    "{{ $labels.api }} {{ $labels.method }} fails for"
                        + " {{ $value | humanizePercentage }} of Lumen's calls",
                    "Lumen decides nothing on missing data, so rollouts wait while calls fail."
                        + " Permanent failures are usually IAM: see docs/security.md.",
                    "google-api-errors")),
            Rule.alert(
                "LumenNotificationsFailing",
                "sum by (channel) (increase(lumen_notifications_total{result=\"failed\"}[30m]))"
                    + " > 0",
                null,
                Map.of("severity", "warning"),
                annotations(
                    "Lumen gave up sending notifications to {{ $labels.channel }}",
                    "Notifications to {{ $labels.channel }} failed after retries in the last 30"
                        + " minutes; decisions are still in events and status.",
                    "notifications-failing")),
            Rule.alert(
                "LumenReconcileSlow",
                "max by (kind) (lumen_reconcile_duration_seconds{quantile=\"0.99\"}) > 30",
                "15m",
                Map.of("severity", "warning"),
                annotations(
                    "Lumen's {{ $labels.kind }} reconciles take {{ $value | humanizeDuration }}"
                        + " (p99)",
                    "Slow reconciles delay analyses and rollbacks; usually a slow Google API"
                        + " or too few --reconcile-threads for the number of resources.",
                    "reconcile-slow")),
            Rule.alert(
                "LumenResourceNotReady",
                "max by (kind, namespace, name, reason) (\n"
                    + notReady("lumen_policy_condition", "LumenPolicy", "policy")
                    + "\nor\n"
                    + notReady("lumen_slo_condition", "SLOTarget", "slotarget")
                    + "\n) == 1",
                "10m",
                Map.of("severity", "warning"),
                annotations(
                    "{{ $labels.kind }} {{ $labels.namespace }}/{{ $labels.name }} is not Ready:"
                        + " {{ $labels.reason }}",
                    "Lumen does not act on a resource that is not Ready; its Ready condition's"
                        + " message names the field and the fix.",
                    "resource-not-ready")),
            Rule.alert(
                "LumenReconcileFailing",
                "max by (kind, namespace, name) (\n"
                    + notReady(
                        "lumen_policy_condition", "LumenPolicy", "policy", "ReconcileFailing")
                    + "\nor\n"
                    + notReady("lumen_slo_condition", "SLOTarget", "slotarget", "ReconcileFailing")
                    + "\n) == 1",
                "5m",
                Map.of("severity", "critical"),
                annotations(
                    "Lumen's reconciles of {{ $labels.kind }} {{ $labels.namespace }}/"
                        + "{{ $labels.name }} keep failing",
                    "Lumen cannot decide for this resource (no rollback, no analysis) and retries"
                        + " every 30 s; the Ready condition's message names the exception.",
                    "reconcile-failing")),
            Rule.alert(
                "LumenRollbackFailed",
                "max by (namespace, policy, service) (lumen_policy_condition{condition="
                    + "\"Degraded\",status=\"True\",reason=\"RollbackFailed\"}) == 1",
                null,
                Map.of("severity", "critical"),
                annotations(
                    "Cloud Run refuses the rollback of {{ $labels.namespace }}/{{ $labels.policy }}",
                    "Lumen decided a rollback that Cloud Run does not serve; the canary still gets"
                        + " traffic. Lumen retries with a growing wait; the Degraded condition names"
                        + " the split served and the error.",
                    "rollback-failed")),
            Rule.alert(
                "LumenRolloutStalled",
                "max by (namespace, policy, service) (lumen_policy_condition{condition="
                    + "\"Progressing\",status=\"False\",reason=\"ProgressDeadlineExceeded\"}) == 1",
                null,
                Map.of("severity", "warning"),
                annotations(
                    "The rollout of {{ $labels.namespace }}/{{ $labels.policy }} passed its"
                        + " progress deadline",
                    "The canary holds its weight because no analysis has passed within"
                        + " progressDeadline; promote, abort or fix the canary.",
                    "rollout-stalled")),
            Rule.alert(
                "LumenRollbackPending",
                "max by (namespace, policy, service, reason) (lumen_policy_condition{condition="
                    + "\"RollbackPending\",status=\"True\"}) == 1",
                null,
                Map.of("severity", "critical"),
                annotations(
                    "{{ $labels.namespace }}/{{ $labels.policy }} is about to roll back:"
                        + " {{ $labels.reason }}",
                    "Lumen announced a rollback and executes it after the grace period unless"
                        + " held with the lumen.dev/hold-rollback annotation.",
                    "rollback-pending"))));
  }

  /** Ready=False series of one kind, with the resource's kind and name in common labels. */
  private static String notReady(String metric, String kind, String nameLabel) {
    return notReady(metric, kind, nameLabel, null);
  }

  /** As above, for one reason only when {@code reason} is not null. */
  private static String notReady(String metric, String kind, String nameLabel, String reason) {
    return "  label_replace(label_replace("
        + metric
        + "{condition=\"Ready\",status=\"False\""
        + (reason == null ? "" : ",reason=\"" + reason + "\"")
        + "}, \"name\", \"$1\", \""
        + nameLabel
        + "\", \"(.*)\"), \"kind\", \""
        + kind
        + "\", \"\", \"\")";
  }
}
