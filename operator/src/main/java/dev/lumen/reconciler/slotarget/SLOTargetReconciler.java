package dev.lumen.reconciler.slotarget;

import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.api.v1alpha1.SLOTargetSpec;
import dev.lumen.api.v1alpha1.SLOTargetStatus;
import dev.lumen.api.v1alpha1.SLOTargetStatus.SloState;
import dev.lumen.engine.ConditionList;
import dev.lumen.engine.Durations;
import dev.lumen.engine.slo.SloEvaluation;
import dev.lumen.engine.slo.SloEvaluator;
import dev.lumen.engine.slo.SloStatusBuilder;
import dev.lumen.observe.SloObserver;
import dev.lumen.reconciler.ClusterReferences;
import dev.lumen.reconciler.EvaluationSlots;
import dev.lumen.reconciler.Readiness;
import dev.lumen.reconciler.Shell;
import dev.lumen.reconciler.StatusWriter;
import dev.lumen.validation.ResourceValidator;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Measures an SLOTarget every evaluationInterval: observe the service's traffic, evaluate the
 * objectives, write state, compliance, each objective and the conditions; an event when the state
 * changes. With --prometheus-rules it also keeps the SLOTarget's PrometheusRule.
 */
@ControllerConfiguration(name = SLOTargetReconciler.NAME)
public class SLOTargetReconciler implements Reconciler<SLOTarget> {
  public static final String NAME = "slotarget";

  private final ResourceValidator validator;
  private final SloObserver observer;
  private final SloEvaluator evaluator = new SloEvaluator();
  private final Shell shell;
  private final Optional<AlertRulesPublisher> alertRules;

  public SLOTargetReconciler(
      ResourceValidator validator,
      SloObserver observer,
      Shell shell,
      Optional<AlertRulesPublisher> alertRules) {
    this.validator = validator;
    this.observer = observer;
    this.shell = shell;
    this.alertRules = alertRules;
  }

  @Override
  public UpdateControl<SLOTarget> reconcile(SLOTarget target, Context<SLOTarget> context) {
    if (context.isPrimaryResourceDeleted()) {
      shell.metrics().forget(target);
      observer.forget(owner(target));
      alertRules.ifPresent(a -> a.forget(target));
      return UpdateControl.noUpdate();
    }
    long started = System.nanoTime();
    target.setSpec(validator.withDefaults(target).getSpec());
    try {
      return cycle(target, context);
    } finally {
      shell.metrics().reconciled(NAME, Duration.ofNanos(System.nanoTime() - started));
    }
  }

  private UpdateControl<SLOTarget> cycle(SLOTarget target, Context<SLOTarget> context) {
    Instant now = shell.clock().instant();
    SLOTargetSpec spec = target.getSpec();
    SLOTargetStatus previous = target.getStatus();
    var references = new ClusterReferences((namespace, name) -> false, context.getClient());
    Readiness readiness =
        Readiness.of(
            validator.validate(target, references),
            () ->
                "Spec accepted: "
                    + spec.objectives().size()
                    + " objectives of service "
                    + spec.service().cloudRun().name());
    if (readiness.status() != Condition.Status.True) {
      SLOTargetStatus next =
          previous == null ? new SLOTargetStatus() : Serialization.clone(previous);
      shell.ready().update(target, next, readiness);
      SLOTarget written =
          StatusWriter.write(target, previous, next, context, t -> t.setStatus(next));
      shell.metrics().record(written);
      return UpdateControl.noUpdate();
    }

    var seen = observer.observe(owner(target), spec, now);
    SloEvaluation evaluation = evaluator.evaluate(spec, seen.observations(), now);
    long generation = Objects.requireNonNullElse(target.getMetadata().getGeneration(), 0L);
    SLOTargetStatus next = SloStatusBuilder.build(previous, evaluation, generation, now);
    shell.ready().update(target, next, readiness.withGaps(seen.gaps()));
    next.setConditions(alertRulesCondition(target, next, generation, now));
    SLOTarget written = StatusWriter.write(target, previous, next, context, t -> t.setStatus(next));
    announceStateChange(written, previous == null ? null : previous.getState(), next);
    shell.metrics().record(written);
    return UpdateControl.<SLOTarget>noUpdate()
        .rescheduleAfter(
            shell
                .pacing()
                .real(
                    EvaluationSlots.untilNext(
                        target.getMetadata().getUid(),
                        Durations.parse(spec.evaluationInterval()),
                        now)));
  }

  /**
   * Reported only while the feature is on; an operator started without it drops the condition
   * rather than leave one nobody updates.
   */
  private List<Condition> alertRulesCondition(
      SLOTarget target, SLOTargetStatus status, long generation, Instant now) {
    if (alertRules.isEmpty()) {
      return ConditionList.remove(status.getConditions(), Conditions.ALERT_RULES_PUBLISHED);
    }
    AlertRulesPublisher.Outcome outcome = alertRules.get().publish(target);
    return ConditionList.set(
        status.getConditions(),
        Conditions.ALERT_RULES_PUBLISHED,
        outcome.status(),
        outcome.reason(),
        outcome.message(),
        generation,
        now);
  }

  private static String owner(SLOTarget target) {
    return "SLOTarget/"
        + target.getMetadata().getNamespace()
        + "/"
        + target.getMetadata().getName();
  }

  private void announceStateChange(SLOTarget target, SloState before, SLOTargetStatus now) {
    if (before == now.getState() || (before == null && now.getState() == SloState.NoData)) {
      return;
    }
    boolean warning = now.getState() == SloState.Warning || now.getState() == SloState.Critical;
    shell
        .events()
        .record(
            target,
            warning,
            "State" + now.getState(),
            "state "
                + (before == null ? "(none)" : before)
                + " -> "
                + now.getState()
                + (now.getCompliance() == null
                    ? ""
                    : ", compliance " + now.getCompliance() + " %"));
  }
}
