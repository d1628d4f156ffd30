package dev.lumen.reconciler.lumenpolicy;

import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.cycle.PolicyCycle;
import dev.lumen.cycle.Readiness;
import dev.lumen.reconciler.AnnounceAtStart;
import dev.lumen.reconciler.Cadence;
import dev.lumen.reconciler.ClusterReferences;
import dev.lumen.reconciler.KubeStatusStore;
import dev.lumen.reconciler.LogLabels;
import dev.lumen.reconciler.Shell;
import dev.lumen.reconciler.Steering;
import dev.lumen.reconciler.ValidationReadiness;
import dev.lumen.tenancy.BindingEvents;
import dev.lumen.tenancy.Caller;
import dev.lumen.tenancy.ServiceOwners;
import dev.lumen.tenancy.Tenancy;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs {@link PolicyCycle} for a LumenPolicy on java-operator-sdk: resolves what the cycle needs
 * from the cluster (the spec's defaults and validation, Secrets, the named SLOTargets, steering
 * annotations) and maps its outcome to a reschedule. The loop itself lives in the cycle.
 */
@ControllerConfiguration(name = LumenPolicyReconciler.NAME)
public class LumenPolicyReconciler implements Reconciler<LumenPolicy> {
  public static final String NAME = "lumenpolicy";
  static final String SLO_TARGETS = "slotargets";

  private final ResourceValidator validator;
  private final PolicyCycle cycle;
  private final Shell shell;
  private final Cadence cadence;
  private final AnnounceAtStart<LumenPolicy> announce;

  public LumenPolicyReconciler(ResourceValidator validator, PolicyCycle cycle, Shell shell) {
    this.validator = validator;
    this.cycle = cycle;
    this.shell = shell;
    this.cadence = new Cadence(NAME, shell);
    this.announce = new AnnounceAtStart<>(p -> cycle.expect(owner(p), p.getSpec()));
  }

  @Override
  public List<EventSource<?, LumenPolicy>> prepareEventSources(
      EventSourceContext<LumenPolicy> context) {
    var mapper = SloTargetReferenceIndex.install(context.getPrimaryCache());
    ServiceIndex.install(context.getPrimaryCache());
    var configuration =
        InformerEventSourceConfiguration.from(SLOTarget.class, LumenPolicy.class)
            .withName(SLO_TARGETS)
            .withSecondaryToPrimaryMapper(mapper)
            // An SLOTarget writes its status at every evaluation; its policies need to hear of a
            // change of state, not of every new measurement, which they read on their own schedule.
            .withOnUpdateFilter(
                (next, previous) -> !SloTargetSignal.of(next).equals(SloTargetSignal.of(previous)))
            .withNamespacesInheritedFromController()
            .build();
    List<EventSource<?, LumenPolicy>> sources = new ArrayList<>();
    sources.add(new InformerEventSource<>(configuration, context));
    sources.addAll(BindingEvents.of(shell.tenancy(), LumenPolicy.class, context));
    return sources;
  }

  @Override
  public UpdateControl<LumenPolicy> reconcile(LumenPolicy policy, Context<LumenPolicy> context) {
    if (!shell.shard().serves(policy)) {
      // Another shard's, reached through a secondary resource's event: left to that shard.
      return UpdateControl.noUpdate();
    }
    announce.before(context, shell.shard()::serves);
    try (var labels = LogLabels.of(policy)) {
      return reconcileLabelled(policy, context);
    }
  }

  private UpdateControl<LumenPolicy> reconcileLabelled(
      LumenPolicy policy, Context<LumenPolicy> context) {
    if (context.isPrimaryResourceDeleted()) {
      shell.metrics().forget(policy);
      validator.forget(policy);
      shell
          .figures()
          .ifPresent(
              f ->
                  f.forget(
                      "LumenPolicy",
                      policy.getMetadata().getNamespace(),
                      policy.getMetadata().getName()));
      shell.announcer().forget(owner(policy), shell.clock().instant(), deleted(policy));
      cycle.forget(owner(policy), policy.cloudRunService());
      cadence.forget(policy);
      return UpdateControl.noUpdate();
    }
    long started = System.nanoTime();
    cadence.begin(policy);
    try {
      policy.setSpec(validator.withDefaults(policy).getSpec());
      var references =
          new ClusterReferences(
              (ns, name) -> sloTargets(context).get(new ResourceID(name, ns)).isPresent(),
              context.getClient());
      String namespace = policy.getMetadata().getNamespace();
      Tenancy.Access access = shell.tenancy().access(namespace, policy.cloudRunService());
      Readiness readiness =
          ValidationReadiness.bound(
              ValidationReadiness.of(
                  validator.validate(policy, references),
                  () ->
                      "Spec accepted for Cloud Run service "
                          + policy.getSpec().service().cloudRun().name()),
              access);
      if (readiness.accepted()) {
        readiness =
            ServiceOwners.refusal(
                    policy, ServiceIndex.sharingTheService(policy, context.getPrimaryCache()))
                .map(
                    why ->
                        new Readiness(
                            Condition.Status.False, Conditions.REASON_SERVICE_ALREADY_MANAGED, why))
                .orElse(readiness);
      }
      Map<String, SLOTarget> named =
          readiness.accepted() ? namedSloTargets(policy, context) : Map.of();
      var store =
          new KubeStatusStore<LumenPolicy, LumenPolicyStatus>(
              policy, context, LumenPolicy::getStatus, LumenPolicy::setStatus);
      var sink = new PolicyReporting(store, shell, references, context.getClient(), named.values());
      Steering.ignored(policy).forEach(text -> sink.event(true, "SteeringIgnored", text));
      var input = PolicyInputs.of(policy, readiness, references, named);
      return cadence.next(
          policy,
          Caller.runAs(
                  new Caller(namespace, access.googleServiceAccount()),
                  () -> cycle.run(input, store, sink))
              .nextAt());
    } finally {
      cadence.finish(policy);
      shell.metrics().reconciled(NAME, Duration.ofNanos(System.nanoTime() - started));
    }
  }

  private Map<String, SLOTarget> namedSloTargets(LumenPolicy policy, Context<LumenPolicy> context) {
    Map<String, SLOTarget> found = new HashMap<>();
    List<String> names =
        policy.getSpec().sloTargets() == null ? List.of() : policy.getSpec().sloTargets();
    for (String name : names) {
      sloTargets(context)
          .get(new ResourceID(name, policy.getMetadata().getNamespace()))
          .ifPresent(t -> found.put(name, t));
    }
    return found;
  }

  /**
   * What deleting a policy leaves: Lumen stops acting and moves no traffic, so a canary keeps its
   * weight until a person moves it (docs/operations.md, "Deleting a policy").
   */
  static String deleted(LumenPolicy policy) {
    var status = policy.getStatus();
    String service = policy.cloudRunService().map(s -> s.name()).orElse("its service");
    String left =
        status != null && status.getCanaryRevision() != null
            ? "; the rollout stopped where it was: canary "
                + status.getCanaryRevision()
                + " keeps "
                + status.getCanaryWeight()
                + " % and "
                + status.getStableRevision()
                + " the rest, until someone routes traffic by hand"
            : "; traffic stays as it is";
    return "the LumenPolicy was deleted, so Lumen no longer watches or steers " + service + left;
  }

  static String owner(LumenPolicy policy) {
    return "LumenPolicy/"
        + policy.getMetadata().getNamespace()
        + "/"
        + policy.getMetadata().getName();
  }

  @SuppressWarnings("unchecked")
  private static InformerEventSource<SLOTarget, LumenPolicy> sloTargets(
      Context<LumenPolicy> context) {
    return (InformerEventSource<SLOTarget, LumenPolicy>)
        context.eventSourceRetriever().getEventSourceFor(SLOTarget.class, SLO_TARGETS);
  }
}
