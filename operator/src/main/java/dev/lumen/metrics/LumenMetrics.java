package dev.lumen.metrics;

import dev.lumen.api.v1alpha1.BurnRateStatus;
import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.GateStatus;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import dev.lumen.api.v1alpha1.LumenResource;
import dev.lumen.api.v1alpha1.ObjectiveStatus;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.api.v1alpha1.SLOTargetStatus;
import dev.lumen.engine.Decimals;
import dev.lumen.engine.Durations;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lumen_ metrics: per SLOTarget and per policy what status says, as numbers; decisions by kind;
 * reconcile durations. Label values are resource and revision names and enum values, never anything
 * from a Secret.
 */
public final class LumenMetrics {
  private final MeterRegistry registry;
  private final ResourceGauges gauges;

  public LumenMetrics(MeterRegistry registry) {
    this.registry = registry;
    // Served by the operator's registry; any other keeps them unexported (tests that read none).
    this.gauges =
        registry instanceof LumenPrometheusRegistry lumen
            ? lumen.resourceGauges()
            : new ResourceGauges();
  }

  public void record(SLOTarget target) {
    SLOTargetStatus status = target.getStatus();
    Map<String, String> tags = labels(target, "slotarget");
    var values = gauges.update(key(target));
    if (status != null) {
      conditions(values, "lumen_slo_condition", tags, status.getConditions());
    }
    if (status != null && status.getState() != null) {
      // The current state only, like a condition: "== 1" reads the same as with a series per
      // state, at a quarter of the series.
      values.set(
          "lumen_slo_state",
          "1, labelled with the SLOTarget's current state",
          with(tags, "state", status.getState().name()),
          1);
      number(status.getCompliance())
          .ifPresent(
              c -> values.set("lumen_slo_compliance_percent", "Share of objectives met", tags, c));
      for (ObjectiveStatus o : status.getObjectives()) {
        Map<String, String> ot = with(tags, "objective", o.name());
        number(o.current())
            .ifPresent(
                v ->
                    values.set(
                        "lumen_slo_objective_value",
                        "Measured value of the objective (percent, or ms for latency)",
                        ot,
                        v));
        if (o.met() != null) {
          values.set("lumen_slo_objective_met", "1 when the objective is met", ot, o.met() ? 1 : 0);
        }
        number(o.errorBudgetRemaining())
            .ifPresent(
                v ->
                    values.set(
                        "lumen_slo_error_budget_remaining_percent",
                        "Error budget left over the compliance window",
                        ot,
                        v));
        if (o.burnRates() != null) {
          for (BurnRateStatus b : o.burnRates()) {
            burn(values, ot, b.longWindow(), b.longRate(), b.severity());
            burn(values, ot, b.shortWindow(), b.shortRate(), b.severity());
          }
        }
      }
    }
    values.publish();
  }

  private static void burn(
      ResourceGauges.Values values,
      Map<String, String> tags,
      String window,
      String rate,
      String severity) {
    number(rate)
        .ifPresent(
            r ->
                values.set(
                    "lumen_slo_burn_rate",
                    "Error-budget burn rate over the window (1 = budget lasts the window)",
                    with(with(tags, "window", window), "severity", severity),
                    r));
  }

  public void record(LumenPolicy policy) {
    LumenPolicyStatus status = policy.getStatus();
    Map<String, String> tags = labels(policy, "policy");
    var values = gauges.update(key(policy));
    if (status != null) {
      values.set(
          "lumen_policy_canary_weight_percent",
          "Percent of traffic on the canary; 0 without a rollout",
          tags,
          status.getCanaryWeight() == null ? 0 : status.getCanaryWeight());
      values.set(
          "lumen_policy_rollout_step",
          "Index of the current rollout step; -1 without a rollout",
          tags,
          status.getStep() == null ? -1 : status.getStep());
      for (GateStatus gate : status.getGates()) {
        if (gate.result() != null) {
          values.set(
              "lumen_policy_gate",
              "1, labelled with each gate's current result",
              with(with(tags, "gate", gate.name()), "result", gate.result().name()),
              1);
        }
      }
      if (status.getHealth() != null) {
        number(status.getHealth().score())
            .ifPresent(v -> values.set("lumen_policy_health_score", "Health 0-100", tags, v));
      }
      if (status.getMaturity() != null) {
        number(status.getMaturity().score())
            .ifPresent(v -> values.set("lumen_policy_maturity_score", "Maturity 0-100", tags, v));
      }
      number(status.getRoi())
          .ifPresent(v -> values.set("lumen_policy_roi_percent", "ROI of the cache", tags, v));
      if (status.getBudget() != null) {
        Map<String, String> bt =
            with(tags, "currency", String.valueOf(status.getBudget().currency()));
        number(status.getBudget().spend())
            .ifPresent(v -> values.set("lumen_policy_budget_spend", "Spend this month", bt, v));
        number(status.getBudget().usedPercent())
            .ifPresent(
                v ->
                    values.set(
                        "lumen_policy_budget_used_percent", "Spend in percent of budget", tags, v));
      }
      if (status.getTuning() != null) {
        if (status.getTuning().minInstances() != null) {
          values.set(
              "lumen_policy_min_instances",
              "Service-level min-instances",
              tags,
              status.getTuning().minInstances());
        }
        if (status.getTuning().cacheTtl() != null) {
          values.set(
              "lumen_policy_cache_ttl_seconds",
              "Cache TTL Lumen publishes",
              tags,
              Durations.parse(status.getTuning().cacheTtl()).toSeconds());
        }
      }
      conditions(values, "lumen_policy_condition", tags, status.getConditions());
    }
    values.publish();
  }

  /**
   * One series per condition with its status and reason, like kube-state-metrics' conditions: an
   * alert on {@code condition="Ready",status="False"} names the reason in its labels.
   */
  private static void conditions(
      ResourceGauges.Values values,
      String name,
      Map<String, String> tags,
      List<Condition> conditions) {
    for (Condition c : conditions) {
      values.set(
          name,
          "1 for each condition's current status and reason",
          with(
              with(with(tags, "condition", c.type()), "status", String.valueOf(c.status())),
              "reason",
              c.reason() == null ? "" : c.reason()),
          1);
    }
  }

  /** A decision by kind, e.g. SetTraffic, Rollback, Promote; applied or only reported. */
  public void decision(LumenPolicy policy, String kind, boolean applied) {
    Counter.builder("lumen.policy.decisions")
        .description("Decisions by kind; applied=false in DryRun")
        .tags(tags(policy, "policy"))
        .tag("kind", kind)
        .tag("applied", String.valueOf(applied))
        .register(registry)
        .increment();
  }

  /** A reconcile that failed outside the ports; the resource reads Ready=False ReconcileFailing. */
  public void reconcileFailed(String kind, RuntimeException failure) {
    Counter.builder("lumen.reconcile.errors")
        .description("Reconciles that failed outside the ports; the resource is not Ready")
        .tag("kind", kind)
        .tag("exception", failure.getClass().getSimpleName())
        .register(registry)
        .increment();
  }

  /** How late, in the operator's clock, a scheduled evaluation began after it was due. */
  public void lateness(String kind, Duration late) {
    DistributionSummary.builder("lumen.evaluation.lateness")
        .description("How late a scheduled evaluation began after it was due, in clock seconds")
        .baseUnit("seconds")
        .tag("kind", kind)
        .publishPercentiles(0.5, 0.99)
        .register(registry)
        .record(late.toNanos() / 1e9);
  }

  public void reconciled(String kind, Duration duration) {
    Timer.builder("lumen.reconcile.duration")
        .description("Time of one reconcile: observe, decide, act, report")
        .tag("kind", kind)
        .publishPercentiles(0.5, 0.99)
        .register(registry)
        .record(duration);
  }

  /** Removes every series of a deleted resource: its gauges and its decision counts. */
  public void forget(HasMetadata resource) {
    gauges.forget(key(resource));
    if (resource instanceof LumenPolicy) {
      registry
          .find("lumen.policy.decisions")
          .tags(
              "namespace",
              resource.getMetadata().getNamespace(),
              "policy",
              resource.getMetadata().getName())
          .meters()
          .forEach(registry::remove);
    }
  }

  private static String key(HasMetadata r) {
    return r.getKind() + "/" + r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
  }

  private static Tags tags(HasMetadata r, String nameLabel) {
    return Tags.of(
        labels(r, nameLabel).entrySet().stream()
            .map(l -> Tag.of(l.getKey(), l.getValue()))
            .toList());
  }

  private static Map<String, String> labels(HasMetadata r, String nameLabel) {
    return Map.of(
        "namespace",
        r.getMetadata().getNamespace(),
        nameLabel,
        r.getMetadata().getName(),
        "service",
        service(r));
  }

  private static Map<String, String> with(Map<String, String> labels, String name, String value) {
    Map<String, String> more = new HashMap<>(labels);
    // A status written by hand may lack a name; the series stays, with an empty label.
    more.put(name, value == null ? "" : value);
    return more;
  }

  /** An invalid spec may name no service; its gauges still say it is not Ready. */
  private static String service(HasMetadata r) {
    return ((LumenResource<?, ?>) r)
        .cloudRunService()
        .map(CloudRunServiceReference::name)
        .orElse("");
  }

  private static Optional<Double> number(String text) {
    return Decimals.tryParse(text);
  }
}
