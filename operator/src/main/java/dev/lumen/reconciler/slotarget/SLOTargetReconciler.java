package dev.lumen.reconciler.slotarget;

import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.api.v1alpha1.SLOTargetSpec;
import dev.lumen.api.v1alpha1.SLOTargetStatus;
import dev.lumen.cycle.DecisionSink;
import dev.lumen.cycle.Readiness;
import dev.lumen.cycle.SloCycle;
import dev.lumen.engine.ConditionList;
import dev.lumen.engine.Severity;
import dev.lumen.notify.Alerts;
import dev.lumen.notify.Notification;
import dev.lumen.ports.HttpEndpoint;
import dev.lumen.reconciler.AnnounceAtStart;
import dev.lumen.reconciler.Cadence;
import dev.lumen.reconciler.ClusterReferences;
import dev.lumen.reconciler.KubeStatusStore;
import dev.lumen.reconciler.LogLabels;
import dev.lumen.reconciler.Shell;
import dev.lumen.reconciler.ValidationReadiness;
import dev.lumen.tenancy.BindingEvents;
import dev.lumen.tenancy.Caller;
import dev.lumen.tenancy.Tenancy;
import dev.lumen.validation.ResourceValidator;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link SloCycle} for an SLOTarget on java-operator-sdk: the spec's defaults and validation,
 * the status store, events and metrics; with --prometheus-rules it also keeps the SLOTarget's
 * PrometheusRule and reports it as a condition. The evaluation itself lives in the cycle.
 */
@ControllerConfiguration(name = SLOTargetReconciler.NAME)
public class SLOTargetReconciler implements Reconciler<SLOTarget> {
  public static final String NAME = "slotarget";
  private static final Logger LOG = LoggerFactory.getLogger(SLOTargetReconciler.class);

  private final ResourceValidator validator;
  private final SloCycle cycle;
  private final Shell shell;
  private final Optional<AlertRulesPublisher> alertRules;
  private final Optional<MonitoringObjectsPublisher> monitoringObjects;
  private final MonitoringObjectsFinalizer finalizer;
  private final Cadence cadence;
  private final AnnounceAtStart<SLOTarget> announce;

  public SLOTargetReconciler(
      ResourceValidator validator,
      SloCycle cycle,
      Shell shell,
      Optional<AlertRulesPublisher> alertRules) {
    this(validator, cycle, shell, alertRules, Optional.empty());
  }

  /**
   * @param monitoringObjects keeps each SLOTarget's Cloud Monitoring objects, with
   *     --cloud-monitoring-objects
   */
  public SLOTargetReconciler(
      ResourceValidator validator,
      SloCycle cycle,
      Shell shell,
      Optional<AlertRulesPublisher> alertRules,
      Optional<MonitoringObjectsPublisher> monitoringObjects) {
    this.monitoringObjects = monitoringObjects;
    this.finalizer = new MonitoringObjectsFinalizer(monitoringObjects, shell);
    this.cadence = new Cadence(NAME, shell);
    this.validator = validator;
    this.cycle = cycle;
    this.shell = shell;
    this.alertRules = alertRules;
    this.announce = new AnnounceAtStart<>(t -> cycle.expect(owner(t), t.getSpec()));
  }

  @Override
  public List<EventSource<?, SLOTarget>> prepareEventSources(
      EventSourceContext<SLOTarget> context) {
    return BindingEvents.of(shell.tenancy(), SLOTarget.class, context);
  }

  @Override
  public UpdateControl<SLOTarget> reconcile(SLOTarget received, Context<SLOTarget> context) {
    if (!shell.shard().serves(received)) {
      // Another shard's, reached through a secondary resource's event: left to that shard.
      return UpdateControl.noUpdate();
    }
    announce.before(context, shell.shard()::serves);
    try (var labels = LogLabels.of(received)) {
      return reconcileLabelled(received, context);
    }
  }

  private UpdateControl<SLOTarget> reconcileLabelled(
      SLOTarget received, Context<SLOTarget> context) {
    if (context.isPrimaryResourceDeleted()) {
      shell.metrics().forget(received);
      validator.forget(received);
      shell
          .figures()
          .ifPresent(
              f ->
                  f.forget(
                      "SLOTarget",
                      received.getMetadata().getNamespace(),
                      received.getMetadata().getName()));
      cycle.forget(owner(received));
      cadence.forget(received);
      alertRules.ifPresent(a -> a.forget(received));
      shell
          .announcer()
          .forget(
              owner(received),
              shell.clock().instant(),
              "the SLOTarget was deleted, so Lumen no longer measures its objectives");
      return UpdateControl.noUpdate();
    }
    if (received.isMarkedForDeletion() && received.getSpec() != null) {
      // Which objects to delete follows from the spec as evaluated: with the schema's defaults.
      try {
        received.setSpec(validator.withDefaults(received).getSpec());
      } catch (RuntimeException e) {
        // Left as written; the finalizer copes with a spec it cannot read.
      }
    }
    var finished = finalizer.finish(received, context);
    if (finished.isPresent()) {
      return finished.get();
    }
    if (received.isMarkedForDeletion()) {
      return UpdateControl.noUpdate();
    }
    SLOTarget target = finalizer.hold(received, context);
    long started = System.nanoTime();
    cadence.begin(target);
    try {
      target.setSpec(validator.withDefaults(target).getSpec());
      SLOTargetSpec spec = target.getSpec();
      var references = new ClusterReferences((namespace, name) -> false, context.getClient());
      String namespace = target.getMetadata().getNamespace();
      Tenancy.Access access = shell.tenancy().access(namespace, target.cloudRunService());
      Readiness readiness =
          ValidationReadiness.bound(
              ValidationReadiness.of(
                  validator.validate(target, references),
                  () ->
                      "Spec accepted: "
                          + spec.objectives().size()
                          + " objectives of service "
                          + spec.service().cloudRun().name()),
              access);
      long generation = Objects.requireNonNullElse(target.getMetadata().getGeneration(), 0L);
      var input =
          new SloCycle.Input(
              owner(target),
              target.getMetadata().getUid(),
              generation,
              spec,
              readiness,
              conditions ->
                  monitoringObjectsCondition(
                      target,
                      alertRulesCondition(target, conditions, generation),
                      generation,
                      context),
              prometheusAuthorization(target, readiness, references));
      var store =
          new KubeStatusStore<SLOTarget, SLOTargetStatus>(
              target, context, SLOTarget::getStatus, SLOTarget::setStatus);
      return cadence.next(
          target,
          Caller.runAs(
                  new Caller(namespace, access.googleServiceAccount()),
                  () -> cycle.run(input, store, new Reporting(store, references)))
              .nextAt());
    } finally {
      cadence.finish(target);
      shell.metrics().reconciled(NAME, Duration.ofNanos(System.nanoTime() - started));
    }
  }

  /**
   * The Authorization header for a Prometheus source, from the SLOTarget's Secrets; none for a spec
   * not accepted (it may not even have been read: its spec is then null).
   */
  private static Optional<String> prometheusAuthorization(
      SLOTarget target, Readiness readiness, ClusterReferences references) {
    SLOTargetSpec spec = target.getSpec();
    if (!readiness.accepted()
        || spec == null
        || spec.source() == null
        || spec.source().prometheus() == null) {
      return Optional.empty();
    }
    return references.authorization(
        target.getMetadata().getNamespace(), spec.source().prometheus().auth());
  }

  /**
   * Reported only while the feature is on; an operator started without it drops the condition
   * rather than leave one nobody updates.
   */
  private List<Condition> alertRulesCondition(
      SLOTarget target, List<Condition> conditions, long generation) {
    if (alertRules.isEmpty()) {
      return ConditionList.remove(conditions, Conditions.ALERT_RULES_PUBLISHED);
    }
    AlertRulesPublisher.Outcome outcome = alertRules.get().publish(target);
    return ConditionList.set(
        conditions,
        Conditions.ALERT_RULES_PUBLISHED,
        outcome.status(),
        outcome.reason(),
        outcome.message(),
        generation,
        shell.clock().instant());
  }

  /**
   * Reported only while the feature is on, like the rules' condition. Runs inside the cycle, so the
   * calls act as the namespace's Google identity.
   */
  private List<Condition> monitoringObjectsCondition(
      SLOTarget target, List<Condition> conditions, long generation, Context<SLOTarget> context) {
    if (monitoringObjects.isEmpty()) {
      return ConditionList.remove(conditions, Conditions.MONITORING_OBJECTS_SYNCED);
    }
    MonitoringObjectsPublisher.Outcome outcome =
        metricsProjectRefusal(target)
            .map(
                why ->
                    new MonitoringObjectsPublisher.Outcome(
                        Condition.Status.False,
                        MonitoringObjectsPublisher.REASON_PROJECT_NOT_BOUND,
                        "spec.source.cloudMonitoring.project: " + why))
            .orElseGet(
                () -> monitoringObjects.get().publish(target, () -> policyOf(target, context)));
    return ConditionList.set(
        conditions,
        Conditions.MONITORING_OBJECTS_SYNCED,
        outcome.status(),
        outcome.reason(),
        outcome.message(),
        generation,
        shell.clock().instant());
  }

  /**
   * Objects are written to the SLOTarget's metrics project, which may be another than its
   * service's: the namespace must be bound to that one too, as it would be to steer a service
   * there.
   */
  private Optional<String> metricsProjectRefusal(SLOTarget target) {
    var run = target.getSpec().service().cloudRun();
    var source = target.getSpec().source();
    if (source == null
        || source.cloudMonitoring() == null
        || source.cloudMonitoring().project() == null
        || source.cloudMonitoring().project().equals(run.project())) {
      return Optional.empty();
    }
    return shell
        .tenancy()
        .refusal(
            target.getMetadata().getNamespace(),
            new dev.lumen.api.v1alpha1.CloudRunServiceReference(
                source.cloudMonitoring().project(), run.region(), run.name()));
  }

  /** The LumenPolicy of the same service in the namespace, whose gates the dashboard draws. */
  private static Optional<LumenPolicy> policyOf(SLOTarget target, Context<SLOTarget> context) {
    var service = target.getSpec().service().cloudRun();
    return context
        .getClient()
        .resources(LumenPolicy.class)
        .inNamespace(target.getMetadata().getNamespace())
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getSpec() != null && p.getSpec().service() != null)
        .filter(p -> service.equals(p.getSpec().service().cloudRun()))
        .findFirst();
  }

  private static String owner(SLOTarget target) {
    return "SLOTarget/"
        + target.getMetadata().getNamespace()
        + "/"
        + target.getMetadata().getName();
  }

  /**
   * Events, Slack through the SLOTarget's webhook Secrets, its Alertmanager alerts and the lumen_
   * gauges of the SLOTarget as written.
   */
  private final class Reporting implements DecisionSink<SLOTargetStatus> {
    private final KubeStatusStore<SLOTarget, SLOTargetStatus> store;
    private final ClusterReferences references;

    Reporting(KubeStatusStore<SLOTarget, SLOTargetStatus> store, ClusterReferences references) {
      this.store = store;
      this.references = references;
    }

    @Override
    public void event(boolean warning, String reason, String message) {
      if (warning) {
        LOG.warn("{} {}: {}", owner(store.resource()), reason, message);
      } else {
        LOG.info("{} {}: {}", owner(store.resource()), reason, message);
      }
      shell.events().record(store.resource(), warning, reason, message);
    }

    @Override
    public void notify(Severity severity, String kind, String message) {
      SLOTarget target = store.resource();
      String namespace = target.getMetadata().getNamespace();
      shell
          .announcer()
          .slack(
              references.slackChannels(namespace, target.getSpec().notifications()),
              new Notification(
                  namespace,
                  "SLOTarget/" + target.getMetadata().getName(),
                  target.getSpec().service().cloudRun().name(),
                  severity,
                  kind,
                  message));
    }

    @Override
    public void report(SLOTargetStatus status) {
      SLOTarget target = store.resource();
      shell.metrics().record(target);
      shell.figures().ifPresent(f -> f.record(target));
      var notifications = target.getSpec() == null ? null : target.getSpec().notifications();
      HttpEndpoint endpoint =
          Alerts.alertmanagerUrl(notifications)
              .map(
                  url ->
                      new HttpEndpoint(
                          url,
                          references.authorization(
                              target.getMetadata().getNamespace(),
                              notifications.alertmanager().auth())))
              .orElse(null);
      shell.announcer().alerts(owner(target), endpoint, Alerts.of(target), shell.clock().instant());
    }

    @Override
    public void failed(RuntimeException failure) {
      LOG.error("{}: the evaluation failed", owner(store.resource()), failure);
      shell.metrics().reconcileFailed(NAME, failure);
    }
  }
}
