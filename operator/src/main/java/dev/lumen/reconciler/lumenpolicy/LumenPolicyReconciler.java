package dev.lumen.reconciler.lumenpolicy;

import dev.lumen.act.ChangeApplier;
import dev.lumen.act.Changes;
import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.LumenPolicySpec;
import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import dev.lumen.api.v1alpha1.PendingStatus;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.api.v1alpha1.SLOTargetStatus;
import dev.lumen.engine.Durations;
import dev.lumen.engine.rollout.Action;
import dev.lumen.engine.rollout.Command;
import dev.lumen.engine.rollout.Decision;
import dev.lumen.engine.rollout.PolicyEngine;
import dev.lumen.notify.Alerts;
import dev.lumen.notify.Notification;
import dev.lumen.observe.PolicyObserver;
import dev.lumen.ports.PortException;
import dev.lumen.reconciler.ClusterReferences;
import dev.lumen.reconciler.EvaluationSlots;
import dev.lumen.reconciler.Readiness;
import dev.lumen.reconciler.Shell;
import dev.lumen.reconciler.StatusWriter;
import dev.lumen.reconciler.Steering;
import dev.lumen.validation.ResourceValidator;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Steers one Cloud Run service: validate, observe, let the engine decide, record the decision in
 * status, act, report. Changes to the outside world are written to status (as pending) before they
 * are made and cleared after, so a restart finishes them instead of losing or repeating them.
 */
@ControllerConfiguration(name = LumenPolicyReconciler.NAME)
public class LumenPolicyReconciler implements Reconciler<LumenPolicy> {
  public static final String NAME = "lumenpolicy";
  static final String SLO_TARGETS = "slotargets";
  private static final Logger LOG = LoggerFactory.getLogger(LumenPolicyReconciler.class);
  public static final Duration IDLE_INTERVAL = Duration.ofMinutes(1);
  private static final Duration FAILURE_RETRY = Duration.ofSeconds(30);

  private final ResourceValidator validator;
  private final Duration secretRecheckInterval;
  private final PolicyEngine engine;
  private final PolicyObserver observer;
  private final ChangeApplier applier;
  private final Shell shell;

  /**
   * @param secretRecheckInterval how soon to look again for a missing Secret; Secrets are not
   *     watched, so this is how a policy notices one created later
   */
  public LumenPolicyReconciler(
      ResourceValidator validator,
      Duration secretRecheckInterval,
      PolicyEngine engine,
      PolicyObserver observer,
      ChangeApplier applier,
      Shell shell) {
    this.validator = validator;
    this.secretRecheckInterval = secretRecheckInterval;
    this.engine = engine;
    this.observer = observer;
    this.applier = applier;
    this.shell = shell;
  }

  @Override
  public List<EventSource<?, LumenPolicy>> prepareEventSources(
      EventSourceContext<LumenPolicy> context) {
    var mapper = SloTargetReferenceIndex.install(context.getPrimaryCache());
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
    return List.of(new InformerEventSource<>(configuration, context));
  }

  @Override
  public UpdateControl<LumenPolicy> reconcile(LumenPolicy policy, Context<LumenPolicy> context) {
    if (context.isPrimaryResourceDeleted()) {
      shell.metrics().forget(policy);
      shell.announcer().forget(owner(policy), shell.clock().instant());
      observer.forget(owner(policy), policy.cloudRunService());
      return UpdateControl.noUpdate();
    }
    long started = System.nanoTime();
    policy.setSpec(validator.withDefaults(policy).getSpec());
    try {
      return cycle(policy, context);
    } finally {
      shell.metrics().reconciled(NAME, Duration.ofNanos(System.nanoTime() - started));
    }
  }

  private UpdateControl<LumenPolicy> cycle(LumenPolicy policy, Context<LumenPolicy> context) {
    Instant now = shell.clock().instant();
    LumenPolicySpec spec = policy.getSpec();
    String namespace = policy.getMetadata().getNamespace();
    LumenPolicyStatus status =
        Objects.requireNonNullElseGet(policy.getStatus(), LumenPolicyStatus::new);
    var references =
        new ClusterReferences(
            (ns, name) -> sloTargets(context).get(new ResourceID(name, ns)).isPresent(),
            context.getClient());
    Readiness readiness =
        Readiness.of(
            validator.validate(policy, references),
            () -> "Spec accepted for Cloud Run service " + spec.service().cloudRun().name());
    if (readiness.status() != Condition.Status.True) {
      LumenPolicy written = writeReadiness(policy, status, readiness, context);
      report(written, Map.of());
      return readiness.waitsForSecret()
          ? UpdateControl.<LumenPolicy>noUpdate().rescheduleAfter(secretRecheckInterval)
          : UpdateControl.noUpdate();
    }
    Optional<URI> redis =
        spec.tuning() != null && spec.tuning().cacheTtl() != null
            ? references.secretUrl(namespace, spec.tuning().cacheTtl().redis().urlSecretRef())
            : Optional.empty();
    Map<String, SLOTarget> sloTargetResources = namedSloTargets(policy, context);
    Map<String, SLOTargetStatus> sloTargets = new HashMap<>();
    sloTargetResources.forEach(
        (name, t) -> Optional.ofNullable(t.getStatus()).ifPresent(s -> sloTargets.put(name, s)));

    PolicyObserver.Observation seen;
    try {
      seen = observer.observe(owner(policy), spec, status, sloTargets, redis, now);
    } catch (PortException e) {
      return cloudRunUnreadable(policy, status, e, context);
    }
    PendingStatus waiting = status.getPending();
    if (waiting != null && !Changes.mayWait(waiting)) {
      PendingStatus left =
          finish(policy, status, seen.live().tags(), redis, context).getStatus().getPending();
      return again(left == null || Changes.mayWait(left) ? Duration.ZERO : FAILURE_RETRY);
    }

    Decision decision =
        engine.decide(
            spec, status, generation(policy), seen.observations(), Steering.commands(policy), now);
    LumenPolicyStatus next = decision.status();
    shell.ready().update(policy, next, readiness.withGaps(seen.gaps()));
    var decided =
        decision.enforced()
            ? Changes.of(decision.actions())
            : List.<PendingStatus.ChangeStatus>of();
    // A waiting tuning change goes on with the next decision, unless the policy no longer enforces.
    var changes =
        waiting == null || waiting.changes() == null || !decision.enforced()
            ? decided
            : Changes.after(waiting.changes(), decided);
    List<String> consumed = decision.consumed().stream().map(Command::annotation).toList();
    next.setPending(
        changes.isEmpty() && consumed.isEmpty() ? null : new PendingStatus(changes, consumed));
    LumenPolicy written =
        StatusWriter.write(policy, policy.getStatus(), next, context, p -> p.setStatus(next));
    announce(written, decision, references);
    if (next.getPending() != null) {
      written = finish(written, next, seen.live().tags(), redis, context);
    }
    report(written, sloTargetResources);
    Duration idle = EvaluationSlots.untilNext(policy.getMetadata().getUid(), IDLE_INTERVAL, now);
    Duration check = nextCheck(spec, written.getStatus(), now, idle);
    // A tuning change still waiting is tried again at the latest with the next failure retry.
    boolean waits = written.getStatus().getPending() != null;
    return again(waits && check.compareTo(FAILURE_RETRY) > 0 ? FAILURE_RETRY : check);
  }

  /**
   * Makes the pending changes, removes the consumed annotations and clears the record. A change
   * that fails for good is dropped with a warning (the next decision sees the service as it is);
   * one that may succeed later stays pending and is tried again: a traffic change before anything
   * else is decided, a tuning change while decisions go on (see {@link Changes#mayWait}).
   */
  private LumenPolicy finish(
      LumenPolicy policy,
      LumenPolicyStatus status,
      Map<String, String> liveTags,
      Optional<URI> redis,
      Context<LumenPolicy> context) {
    PendingStatus pending = status.getPending();
    List<PendingStatus.ChangeStatus> waiting = new ArrayList<>();
    for (var change :
        pending.changes() == null ? List.<PendingStatus.ChangeStatus>of() : pending.changes()) {
      try {
        applier.apply(change, policy.getSpec(), liveTags, redis);
      } catch (PortException e) {
        if (e.isTransient()) {
          boolean mayWait = Changes.mayWait(change);
          shell
              .events()
              .record(
                  policy,
                  true,
                  "ChangeRetrying",
                  change.kind()
                      + " not applied yet: "
                      + e.getMessage()
                      + (mayWait
                          ? "; it is retried while decisions go on"
                          : "; nothing else is decided until it is made"));
          if (mayWait) {
            waiting.add(change);
            continue;
          }
          // Still pending in status, as it was: the next reconcile tries again.
          return policy;
        }
        shell
            .events()
            .record(
                policy,
                true,
                "ChangeFailed",
                change.kind() + " failed and was dropped: " + e.getMessage());
      }
    }
    Steering.remove(
        context.getClient(),
        policy,
        pending.consumedAnnotations() == null ? List.of() : pending.consumedAnnotations());
    LumenPolicyStatus done = Serialization.clone(status);
    done.setPending(waiting.isEmpty() ? null : new PendingStatus(List.copyOf(waiting), List.of()));
    return StatusWriter.write(policy, status, done, context, p -> p.setStatus(done));
  }

  /** Events for every decision, Slack for the ones that change traffic or health, counters. */
  private void announce(LumenPolicy policy, Decision decision, ClusterReferences references) {
    var notifications = policy.getSpec().notifications();
    Optional<URI> webhook = Optional.empty();
    Optional<URI> critical = Optional.empty();
    if (notifications != null && notifications.slack() != null) {
      String ns = policy.getMetadata().getNamespace();
      webhook = references.secretUrl(ns, notifications.slack().webhookSecretRef());
      critical = references.secretUrl(ns, notifications.slack().criticalWebhookSecretRef());
    }
    for (Action action : decision.actions()) {
      if (action instanceof Action.Event e) {
        shell.events().record(policy, e.warning(), e.kind(), e.reason());
      } else if (action instanceof Action.Notify n) {
        shell
            .announcer()
            .slack(
                webhook,
                critical,
                new Notification(
                    policy.getMetadata().getNamespace(),
                    "LumenPolicy/" + policy.getMetadata().getName(),
                    policy.getSpec().service().cloudRun().name(),
                    n.critical(),
                    n.kind(),
                    n.reason()));
      } else {
        shell.metrics().decision(policy, action.kind(), decision.enforced());
        if (!decision.enforced()) {
          shell
              .events()
              .record(policy, false, "DryRun" + action.kind(), "would " + action.reason());
        }
      }
    }
  }

  private void report(LumenPolicy policy, Map<String, SLOTarget> sloTargets) {
    shell.metrics().record(policy);
    URI alertmanager = alertmanager(policy).orElse(null);
    var alerts = new LinkedHashMap<>(Alerts.of(policy));
    sloTargets.values().forEach(t -> Alerts.addBudgetBurn(alerts, policy, t));
    shell.announcer().alerts(owner(policy), alertmanager, alerts, shell.clock().instant());
  }

  /**
   * Also for a policy that is not Ready, whose alert says so; but not from a spec that cannot be
   * read, or a URL that is not one (the policy's Ready condition names that field).
   */
  private static Optional<URI> alertmanager(LumenPolicy policy) {
    var notifications = policy.getSpec() == null ? null : policy.getSpec().notifications();
    if (notifications == null
        || notifications.alertmanager() == null
        || notifications.alertmanager().url() == null) {
      return Optional.empty();
    }
    try {
      URI url = new URI(notifications.alertmanager().url());
      boolean http = "http".equals(url.getScheme()) || "https".equals(url.getScheme());
      return http ? Optional.of(url) : Optional.empty();
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  private LumenPolicy writeReadiness(
      LumenPolicy policy,
      LumenPolicyStatus status,
      Readiness readiness,
      Context<LumenPolicy> context) {
    LumenPolicyStatus next = Serialization.clone(status);
    if (!shell.ready().update(policy, next, readiness)) {
      return policy;
    }
    return StatusWriter.write(policy, policy.getStatus(), next, context, p -> p.setStatus(next));
  }

  /**
   * Cloud Run could not be read, so nothing is decided. A permanent failure (no such service, no
   * permission) makes the policy not Ready with the error; a transient one is retried.
   */
  private UpdateControl<LumenPolicy> cloudRunUnreadable(
      LumenPolicy policy, LumenPolicyStatus status, PortException e, Context<LumenPolicy> context) {
    LOG.warn("{}: cannot read Cloud Run: {}", owner(policy), e.getMessage());
    if (e.isTransient()) {
      shell
          .events()
          .record(policy, true, "CloudRunUnavailable", "no decision this cycle: " + e.getMessage());
    } else {
      var readiness =
          new Readiness(
              Condition.Status.False,
              "CloudRunServiceUnreadable",
              "cannot read spec.service.cloudRun: "
                  + e.getMessage()
                  + "; check the project, region and name, and that Lumen's service account has"
                  + " roles/run.developer on the service");
      report(writeReadiness(policy, status, readiness, context), Map.of());
    }
    return again(FAILURE_RETRY);
  }

  /**
   * The next time something may be due: an analysis, the end of a pause or a grace period.
   *
   * @param idleWait when to look again if nothing is due sooner
   */
  public static Duration nextCheck(
      LumenPolicySpec spec, LumenPolicyStatus status, Instant now, Duration idleWait) {
    Duration next = idleWait;
    if (status.getCanaryRevision() != null && spec.rollout() != null) {
      next = min(next, Durations.parse(spec.rollout().analysis().interval()));
      var rollout = status.getRollout();
      if (rollout != null
          && rollout.pendingRollback() != null
          && rollout.pendingRollback().executeAfter() != null) {
        next =
            min(
                next,
                Duration.between(now, Instant.parse(rollout.pendingRollback().executeAfter())));
      }
    }
    return next.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : next;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private UpdateControl<LumenPolicy> again(Duration clockTime) {
    return UpdateControl.<LumenPolicy>noUpdate().rescheduleAfter(shell.pacing().real(clockTime));
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

  private static long generation(LumenPolicy policy) {
    Long generation = policy.getMetadata().getGeneration();
    return generation == null ? 0 : generation;
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
