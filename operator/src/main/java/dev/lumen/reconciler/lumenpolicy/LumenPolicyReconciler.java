package dev.lumen.reconciler.lumenpolicy;

import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.reconciler.ClusterReferences;
import dev.lumen.reconciler.Readiness;
import dev.lumen.reconciler.ReadyCondition;
import dev.lumen.validation.ResourceValidator;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Validates LumenPolicies, including their references to SLOTargets and Secrets, and reports
 * whether Lumen accepts them.
 */
@ControllerConfiguration(name = LumenPolicyReconciler.NAME)
public class LumenPolicyReconciler implements Reconciler<LumenPolicy> {
  public static final String NAME = "lumenpolicy";
  static final String SLO_TARGETS = "slotargets";

  private final ResourceValidator validator;
  private final ReadyCondition ready;
  private final Duration secretRecheckInterval;

  /**
   * @param secretRecheckInterval how soon to look again for a missing Secret; Secrets are not
   *     watched, so this is how a policy notices one created later
   */
  public LumenPolicyReconciler(
      ResourceValidator validator, ReadyCondition ready, Duration secretRecheckInterval) {
    this.validator = validator;
    this.ready = ready;
    this.secretRecheckInterval = secretRecheckInterval;
  }

  @Override
  public List<EventSource<?, LumenPolicy>> prepareEventSources(
      EventSourceContext<LumenPolicy> context) {
    var mapper = SloTargetReferenceIndex.install(context.getPrimaryCache());
    var configuration =
        InformerEventSourceConfiguration.from(SLOTarget.class, LumenPolicy.class)
            .withName(SLO_TARGETS)
            .withSecondaryToPrimaryMapper(mapper)
            .withNamespacesInheritedFromController()
            .build();
    return List.of(new InformerEventSource<>(configuration, context));
  }

  @Override
  public UpdateControl<LumenPolicy> reconcile(LumenPolicy policy, Context<LumenPolicy> context) {
    var references =
        new ClusterReferences(
            (namespace, name) ->
                sloTargets(context).get(new ResourceID(name, namespace)).isPresent(),
            context.getClient());
    Readiness readiness =
        Readiness.of(
            validator.validate(policy, references),
            () ->
                "Spec accepted for Cloud Run service "
                    + policy.getSpec().service().cloudRun().name());

    LumenPolicyStatus status =
        Objects.requireNonNullElseGet(policy.getStatus(), LumenPolicyStatus::new);
    UpdateControl<LumenPolicy> control = UpdateControl.noUpdate();
    if (ready.update(policy, status, readiness)) {
      policy.setStatus(status);
      control = UpdateControl.patchStatus(policy);
    }
    return readiness.waitsForSecret() ? control.rescheduleAfter(secretRecheckInterval) : control;
  }

  @SuppressWarnings("unchecked")
  private static InformerEventSource<SLOTarget, LumenPolicy> sloTargets(
      Context<LumenPolicy> context) {
    return (InformerEventSource<SLOTarget, LumenPolicy>)
        context.eventSourceRetriever().getEventSourceFor(SLOTarget.class, SLO_TARGETS);
  }
}
