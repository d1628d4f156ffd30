package dev.lumen.reconciler.slotarget;

import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.api.v1alpha1.SLOTargetStatus;
import dev.lumen.reconciler.ClusterReferences;
import dev.lumen.reconciler.Readiness;
import dev.lumen.reconciler.ReadyCondition;
import dev.lumen.validation.ResourceValidator;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.Objects;

/** Validates SLOTargets and reports whether Lumen accepts them. */
@ControllerConfiguration(name = SLOTargetReconciler.NAME)
public class SLOTargetReconciler implements Reconciler<SLOTarget> {
  public static final String NAME = "slotarget";

  private final ResourceValidator validator;
  private final ReadyCondition ready;

  public SLOTargetReconciler(ResourceValidator validator, ReadyCondition ready) {
    this.validator = validator;
    this.ready = ready;
  }

  @Override
  public UpdateControl<SLOTarget> reconcile(SLOTarget target, Context<SLOTarget> context) {
    var references = new ClusterReferences((namespace, name) -> false, context.getClient());
    Readiness readiness =
        Readiness.of(
            validator.validate(target, references),
            () ->
                "Spec accepted: "
                    + objectiveCount(target)
                    + " objectives of service "
                    + target.getSpec().service().cloudRun().name());

    SLOTargetStatus status =
        Objects.requireNonNullElseGet(target.getStatus(), SLOTargetStatus::new);
    if (!ready.update(target, status, readiness)) {
      return UpdateControl.noUpdate();
    }
    target.setStatus(status);
    return UpdateControl.patchStatus(target);
  }

  private static int objectiveCount(SLOTarget target) {
    return target.getSpec().objectives() == null ? 0 : target.getSpec().objectives().size();
  }
}
