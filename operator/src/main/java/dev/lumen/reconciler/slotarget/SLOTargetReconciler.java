package dev.lumen.reconciler.slotarget;

import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.api.v1alpha1.SLOTargetSpec;
import dev.lumen.api.v1alpha1.SLOTargetStatus;
import dev.lumen.api.v1alpha1.SLOTargetStatus.SloState;
import dev.lumen.engine.Durations;
import dev.lumen.engine.slo.SloEvaluation;
import dev.lumen.engine.slo.SloEvaluator;
import dev.lumen.engine.slo.SloStatusBuilder;
import dev.lumen.observe.SloObserver;
import dev.lumen.reconciler.ClusterReferences;
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
import java.util.Objects;

/**
 * Measures an SLOTarget every evaluationInterval: observe the service's traffic, evaluate the
 * objectives, write state, compliance, each objective and the conditions; an event when the state
 * changes.
 */
@ControllerConfiguration(name = SLOTargetReconciler.NAME)
public class SLOTargetReconciler implements Reconciler<SLOTarget> {
  public static final String NAME = "slotarget";

  private final ResourceValidator validator;
  private final SloObserver observer;
  private final SloEvaluator evaluator = new SloEvaluator();
  private final Shell shell;

  public SLOTargetReconciler(ResourceValidator validator, SloObserver observer, Shell shell) {
    this.validator = validator;
    this.observer = observer;
    this.shell = shell;
  }

  @Override
  public UpdateControl<SLOTarget> reconcile(SLOTarget target, Context<SLOTarget> context) {
    if (context.isPrimaryResourceDeleted()) {
      shell.metrics().forget(target);
      observer.forget(owner(target));
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
    SLOTarget written = StatusWriter.write(target, previous, next, context, t -> t.setStatus(next));
    announceStateChange(written, previous == null ? null : previous.getState(), next);
    shell.metrics().record(written);
    return UpdateControl.<SLOTarget>noUpdate()
        .rescheduleAfter(shell.pacing().real(Durations.parse(spec.evaluationInterval())));
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
