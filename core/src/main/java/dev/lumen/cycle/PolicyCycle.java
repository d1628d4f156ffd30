package dev.lumen.cycle;

import dev.lumen.act.ChangeApplier;
import dev.lumen.act.Changes;
import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.LumenPolicySpec;
import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import dev.lumen.api.v1alpha1.PendingStatus;
import dev.lumen.api.v1alpha1.RolloutStatus;
import dev.lumen.api.v1alpha1.SLOTargetStatus;
import dev.lumen.api.v1alpha1.TrafficOutcome;
import dev.lumen.engine.ConditionList;
import dev.lumen.engine.Durations;
import dev.lumen.engine.measure.TrafficSplit;
import dev.lumen.engine.rollout.Action;
import dev.lumen.engine.rollout.Command;
import dev.lumen.engine.rollout.Decision;
import dev.lumen.engine.rollout.PolicyEngine;
import dev.lumen.observe.PolicyObserver;
import dev.lumen.ports.CloudRunServices.ServiceState;
import dev.lumen.ports.PortException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One cycle of one LumenPolicy: observe, finish or drop what an earlier cycle started, let the
 * engine decide, record the decision in status, act, report, and say when to look next. Changes to
 * the outside world are written to status (as pending) before they are made and cleared after, so a
 * restart finishes them instead of losing or repeating them.
 */
public final class PolicyCycle {
  /** How often an idle policy is looked at. */
  public static final Duration IDLE_INTERVAL = Duration.ofMinutes(1);

  /** How soon a failed read or change is tried again. */
  public static final Duration FAILURE_RETRY = Duration.ofSeconds(30);

  /** A change failed for now and is tried again. */
  public static final String CHANGE_RETRYING = "ChangeRetrying";

  /** A change failed for good and was dropped. */
  public static final String CHANGE_FAILED = "ChangeFailed";

  /** Cloud Run could not be read; nothing was decided. */
  public static final String CLOUD_RUN_UNAVAILABLE = "CloudRunUnavailable";

  /** A recorded traffic change was overtaken by someone else's; it is not replayed over it. */
  public static final String PENDING_CHANGE_SUPERSEDED = "PendingChangeSuperseded";

  /** A recorded change was not made because the policy no longer enforces. */
  public static final String PENDING_CHANGE_DROPPED = "PendingChangeDropped";

  /** A rollback's traffic change is being made; RolledBack follows once Cloud Run serves it. */
  public static final String ROLLBACK_STARTED = "RollbackStarted";

  /** A rollback's stable revision is gone; it goes to the newest ready revision before. */
  public static final String ROLLBACK_RETARGETED = "RollbackRetargeted";

  /** Status could not be written: the API server is out; the cycle is tried again. */
  public static final String STATUS_UNWRITABLE = "StatusUnwritable";

  /** A decided rollback made while the API server could not record it (safety first). */
  public static final String UNRECORDED_ROLLBACK = "RolledBackUnrecorded";

  /** Cloud Run refused a rollback's traffic change; it is tried again with a growing wait. */
  public static final String ROLLBACK_FAILED = "RollbackFailed";

  /** Cloud Run refused a traffic change other than a rollback; it is tried again likewise. */
  public static final String TRAFFIC_CHANGE_FAILED = "TrafficChangeFailed";

  /**
   * The events of the change protocol itself, as opposed to the engine's decisions (which status
   * records in recentDecisions as well).
   */
  public static final Set<String> PROTOCOL_EVENTS =
      Set.of(
          CHANGE_RETRYING,
          CHANGE_FAILED,
          ROLLBACK_STARTED,
          ROLLBACK_RETARGETED,
          ROLLBACK_FAILED,
          STATUS_UNWRITABLE,
          UNRECORDED_ROLLBACK,
          TRAFFIC_CHANGE_FAILED,
          CLOUD_RUN_UNAVAILABLE,
          PENDING_CHANGE_SUPERSEDED,
          PENDING_CHANGE_DROPPED,
          CycleFailure.REASON);

  private final PolicyEngine engine;
  private final PolicyObserver observer;
  private final ChangeApplier applier;
  private final Clock clock;
  private final Duration secretRecheckInterval;

  /**
   * @param secretRecheckInterval how soon to look again for a missing Secret; Secrets are not
   *     watched, so this is how a policy notices one created later
   */
  public PolicyCycle(
      PolicyEngine engine,
      PolicyObserver observer,
      ChangeApplier applier,
      Clock clock,
      Duration secretRecheckInterval) {
    this.engine = engine;
    this.observer = observer;
    this.applier = applier;
    this.clock = clock;
    this.secretRecheckInterval = secretRecheckInterval;
  }

  /**
   * What the cycle is given about one policy, resolved by its caller.
   *
   * @param owner "LumenPolicy/namespace/name", for shared reads and messages
   * @param uid spreads idle evaluations of many policies over the minute
   * @param spec the spec with its defaults
   * @param readiness whether the spec was accepted, and why not
   * @param commands the steering commands present on the resource
   * @param redis the cache's address, when the policy tunes a cache TTL and its Secret is readable
   * @param sloTargets the status of each named SLOTarget that has one
   */
  public record Input(
      String owner,
      String uid,
      long generation,
      LumenPolicySpec spec,
      Readiness readiness,
      Set<Command> commands,
      Optional<URI> redis,
      Map<String, SLOTargetStatus> sloTargets) {}

  /**
   * One cycle. A failure outside the ports ends it with Ready=False {@code ReconcileFailing} naming
   * the exception, and a retry; an {@link Error} is not caught.
   */
  public Outcome run(Input in, StatusStore<LumenPolicyStatus> store, PolicySink sink) {
    try {
      return cycle(in, store, sink);
    } catch (StatusStore.Unreachable e) {
      // The API server is out: nothing can be recorded, so nothing more is tried until it is back.
      quietly(() -> sink.event(true, STATUS_UNWRITABLE, e.getMessage()));
      return Outcome.after(FAILURE_RETRY);
    } catch (RuntimeException e) {
      CycleFailure.report(e, in.generation(), store, sink, LumenPolicyStatus::new, clock.instant());
      return Outcome.after(FAILURE_RETRY);
    }
  }

  private Outcome cycle(Input in, StatusStore<LumenPolicyStatus> store, PolicySink sink) {
    Instant now = clock.instant();
    LumenPolicyStatus status =
        Objects.requireNonNullElseGet(store.current(), LumenPolicyStatus::new);
    if (!in.readiness().accepted()) {
      sink.report(
          ReadyCondition.write(
              store, LumenPolicyStatus::new, in.generation(), in.readiness(), now));
      return in.readiness().waitsForSecret()
          ? Outcome.after(secretRecheckInterval)
          : Outcome.waitForChange();
    }
    PolicyObserver.Observation seen;
    try {
      seen = observer.observe(in.owner(), in.spec(), status, in.sloTargets(), in.redis(), now);
    } catch (PortException e) {
      return cloudRunUnreadable(in, store, sink, e, now);
    }
    PendingStatus waiting = status.getPending();
    if (waiting != null && !Changes.mayWait(waiting)) {
      PendingStatus left = finish(in, store, sink, status, seen.live()).getPending();
      return Outcome.after(
          left == null || Changes.mayWait(left) ? Duration.ZERO : retryIn(left, now), seen.gaps());
    }

    Decision decision =
        engine.decide(in.spec(), status, in.generation(), seen.observations(), in.commands(), now);
    LumenPolicyStatus next = decision.status();
    ReadyCondition.update(next, in.generation(), in.readiness().withGaps(seen.gaps()), now);
    if (!decision.enforced() && waiting != null && waiting.changes() != null) {
      waiting.changes().forEach(change -> dropOutsideEnforce(change, in.spec(), sink));
    }
    PendingStatus pending = pending(decision, waiting, seen.live().traffic());
    // A traffic change is a fact only once Cloud Run serves it: until then status keeps what is
    // served, and what it will say afterwards waits in pending.
    boolean deferred = decision.enforced() && TrafficIntent.movesTraffic(pending);
    if (deferred) {
      String kind = TrafficIntent.kind(decision);
      var outcome = TrafficIntent.outcome(kind, next, decision.actions());
      next = TrafficIntent.fact(next, status);
      pending =
          new PendingStatus(
              pending.changes(), pending.consumedAnnotations(), outcome, null, null, null);
      if (TrafficIntent.ROLLBACK.equals(kind)) {
        pending = toAServingRevision(in, sink, pending);
      }
    }
    next.setPending(pending);
    LumenPolicyStatus written;
    try {
      written = store.write(next);
    } catch (StatusStore.Unreachable e) {
      if (deferred && TrafficIntent.ROLLBACK.equals(pending.outcome().decision())) {
        rollBackUnrecorded(in, sink, pending, seen.live());
      }
      throw e;
    }
    announce(decision, sink, deferred);
    if (deferred && TrafficIntent.ROLLBACK.equals(pending.outcome().decision())) {
      String reason = trafficReason(decision);
      sink.event(true, ROLLBACK_STARTED, reason);
      sink.notify(false, ROLLBACK_STARTED, reason);
    }
    if (written.getPending() != null) {
      written = finish(in, store, sink, written, seen.live());
    }
    sink.report(written);
    Duration idle = EvaluationSlots.untilNext(in.uid(), IDLE_INTERVAL, now);
    Duration check = nextCheck(in.spec(), written, now, idle);
    PendingStatus left = written.getPending();
    if (left != null && !Changes.mayWait(left)) {
      return Outcome.after(retryIn(left, now), seen.gaps());
    }
    // A tuning change still waiting is tried again at the latest with the next failure retry.
    return Outcome.after(
        left != null && check.compareTo(FAILURE_RETRY) > 0 ? FAILURE_RETRY : check, seen.gaps());
  }

  /**
   * A rollback whose stable revision is gone goes to the newest ready revision that served before
   * the failed canary instead, and says so; without one it stays as decided (and Cloud Run's
   * refusal will say why).
   */
  private PendingStatus toAServingRevision(Input in, PolicySink sink, PendingStatus pending) {
    var outcome = pending.outcome();
    String stable = outcome.stableRevision();
    String failed = outcome.rollout() == null ? null : outcome.rollout().failedRevision();
    Optional<String> instead;
    try {
      instead = RollbackTarget.replacing(applier.revisions(in.spec()), stable, failed);
    } catch (PortException e) {
      return pending;
    }
    if (instead.isEmpty()) {
      return pending;
    }
    String target = instead.get();
    var all = List.of(new RolloutStatus.TrafficShare(target, 100));
    var changes =
        pending.changes().stream()
            .map(
                c ->
                    Changes.SET_TRAFFIC.equals(c.kind())
                        ? new PendingStatus.ChangeStatus(
                            c.kind(), all, null, null, c.reason(), c.replaces())
                        : c)
            .toList();
    var rollout = outcome.rollout();
    var retargeted =
        new TrafficOutcome(
            outcome.decision(),
            outcome.phase(),
            target,
            outcome.canaryRevision(),
            outcome.canaryWeight(),
            outcome.step(),
            outcome.stepStartTime(),
            new RolloutStatus(
                rollout.failedRevision(),
                rollout.stepFailures(),
                rollout.lastAnalysis(),
                rollout.pendingRollback(),
                rollout.held(),
                rollout.pausedReason(),
                rollout.deadlineExceeded(),
                all,
                rollout.earlierSteps()),
            outcome.conditions(),
            outcome.announcements());
    sink.event(
        true,
        ROLLBACK_RETARGETED,
        "stable revision "
            + stable
            + " is gone; rolling back to "
            + target
            + ", the newest ready revision before "
            + failed);
    return new PendingStatus(changes, pending.consumedAnnotations(), retargeted, null, null, null);
  }

  /**
   * Safety first: a rollback is made even though the API server cannot record it first. Status
   * keeps the rollout as it was, so once the API server is back the next decision finds all traffic
   * on stable and adopts it (the canary marked failed, as after a rollback by hand).
   */
  private void rollBackUnrecorded(
      Input in, PolicySink sink, PendingStatus pending, ServiceState live) {
    for (var change : pending.changes()) {
      if (!Changes.SET_TRAFFIC.equals(change.kind())) {
        continue;
      }
      try {
        applier.apply(change, in.spec(), live.tags(), in.redis());
        applier.confirmServed(change, in.spec());
        quietly(
            () ->
                sink.event(
                    true,
                    UNRECORDED_ROLLBACK,
                    "rolled back to "
                        + Changes.split(change.traffic())
                        + " although the API server could not record it first ("
                        + change.reason()
                        + ")"));
      } catch (PortException refused) {
        quietly(() -> sink.event(true, ROLLBACK_FAILED, refused.getMessage()));
      }
    }
  }

  /** Reports what the API server may not take now; its failure changes nothing. */
  private static void quietly(Runnable report) {
    try {
      report.run();
    } catch (RuntimeException ignored) {
      // The API server is out; the operator's log has the line already.
    }
  }

  /** When to try a traffic change again: after its back-off, or after a failure retry. */
  private static Duration retryIn(PendingStatus pending, Instant now) {
    if (pending.retryAfter() == null) {
      return FAILURE_RETRY;
    }
    Duration wait = Duration.between(now, Instant.parse(pending.retryAfter()));
    return wait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : wait;
  }

  private static String trafficReason(Decision decision) {
    return decision.actions().stream()
        .filter(Action.SetTraffic.class::isInstance)
        .map(Action::reason)
        .findFirst()
        .orElse("");
  }

  /**
   * What the decision leaves to be made, recorded before anything is touched: its changes (none
   * outside Enforce), then the tuning changes still waiting from earlier cycles that it does not
   * replace, and the steering annotations it acted on.
   */
  private static PendingStatus pending(
      Decision decision, PendingStatus waiting, Map<String, Integer> liveTraffic) {
    var decided =
        decision.enforced()
            ? Changes.of(decision.actions(), liveTraffic)
            : List.<PendingStatus.ChangeStatus>of();
    // A waiting tuning change goes on with the next decision, unless the policy no longer enforces.
    var changes =
        waiting == null || waiting.changes() == null || !decision.enforced()
            ? decided
            : Changes.after(waiting.changes(), decided);
    List<String> consumed = decision.consumed().stream().map(Command::annotation).toList();
    return changes.isEmpty() && consumed.isEmpty() ? null : new PendingStatus(changes, consumed);
  }

  /** Drops what was kept for a deleted policy: its share of the reads, its service's lists. */
  public void forget(String owner, Optional<CloudRunServiceReference> service) {
    observer.forget(owner, service);
  }

  /**
   * Makes the pending changes, removes the consumed annotations and clears the record. A change
   * that fails for good is dropped with a warning (the next decision sees the service as it is);
   * one that may succeed later stays pending and is tried again: a traffic change before anything
   * else is decided, a tuning change while decisions go on (see {@link Changes#mayWait}). Lumen
   * never replays a change over a person: a change is not made once the policy no longer enforces,
   * nor a traffic change that someone else's overtook (see {@link Changes#overtaken}).
   *
   * @param live the service as read in this cycle
   * @return the status as stored afterwards
   */
  private LumenPolicyStatus finish(
      Input in,
      StatusStore<LumenPolicyStatus> store,
      PolicySink sink,
      LumenPolicyStatus status,
      ServiceState live) {
    PendingStatus pending = status.getPending();
    Instant now = clock.instant();
    List<PendingStatus.ChangeStatus> waiting = new ArrayList<>();
    boolean served = false;
    for (var change :
        pending.changes() == null ? List.<PendingStatus.ChangeStatus>of() : pending.changes()) {
      if (!PolicyEngine.enforces(in.spec())) {
        dropOutsideEnforce(change, in.spec(), sink);
        continue;
      }
      boolean traffic = Changes.SET_TRAFFIC.equals(change.kind());
      if (traffic && TrafficIntent.backingOff(pending, now)) {
        return status;
      }
      if (Changes.overtaken(change, live.traffic())) {
        sink.event(
            true,
            PENDING_CHANGE_SUPERSEDED,
            "traffic change to "
                + Changes.split(change.traffic())
                + " not made: the service routes "
                + TrafficSplit.withoutZeros(live.traffic())
                + ", not the "
                + Changes.split(change.replaces())
                + " it was decided against; someone changed it since, and Lumen does not"
                + " replay over it ("
                + change.reason()
                + ")");
        continue;
      }
      try {
        applier.apply(change, in.spec(), live.tags(), in.redis());
        if (traffic) {
          applier.confirmServed(change, in.spec());
          served = true;
        }
      } catch (PortException e) {
        if (e.isTransient()) {
          boolean mayWait = Changes.mayWait(change);
          sink.event(
              true,
              CHANGE_RETRYING,
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
          // Still pending in status, as it was: the next cycle tries again.
          return status;
        }
        if (traffic) {
          return refused(in, store, sink, status, change, e, live, now);
        }
        sink.event(
            true, CHANGE_FAILED, change.kind() + " failed and was dropped: " + e.getMessage());
      }
    }
    sink.removeAnnotations(
        pending.consumedAnnotations() == null ? List.of() : pending.consumedAnnotations());
    var outcome = served ? pending.outcome() : null;
    LumenPolicyStatus done =
        outcome != null ? TrafficIntent.commit(status, outcome) : StatusCopies.copy(status);
    done.setPending(waiting.isEmpty() ? null : new PendingStatus(List.copyOf(waiting), List.of()));
    LumenPolicyStatus written = store.write(done);
    if (outcome != null && outcome.announcements() != null) {
      for (var said : outcome.announcements()) {
        boolean critical = Boolean.TRUE.equals(said.critical());
        if (Boolean.TRUE.equals(said.notification())) {
          sink.notify(critical, said.kind(), said.message());
        } else {
          sink.event(critical, said.kind(), said.message());
        }
      }
    }
    return written;
  }

  /**
   * Cloud Run refused a traffic change for good, or cannot serve it. Status goes on saying what is
   * served; the change stays pending and is tried again after a doubling wait (a rollback must
   * still happen); a condition names the split served and the error, and the first refusal is
   * notified. A person gives up on it by setting the policy to DryRun.
   */
  private LumenPolicyStatus refused(
      Input in,
      StatusStore<LumenPolicyStatus> store,
      PolicySink sink,
      LumenPolicyStatus status,
      PendingStatus.ChangeStatus change,
      PortException e,
      ServiceState live,
      Instant now) {
    PendingStatus pending = status.getPending();
    int attempts = (pending.attempts() == null ? 0 : pending.attempts()) + 1;
    Instant retry = now.plus(TrafficIntent.backoff(attempts)).truncatedTo(ChronoUnit.SECONDS);
    boolean rollback =
        pending.outcome() != null && TrafficIntent.ROLLBACK.equals(pending.outcome().decision());
    String message =
        (rollback ? "rollback" : "traffic change")
            + " to "
            + Changes.split(change.traffic())
            + " not served (attempt "
            + attempts
            + "): "
            + e.getMessage()
            + "; the service serves "
            + TrafficSplit.withoutZeros(live.serving())
            + "; next attempt after "
            + retry
            + (rollback
                ? "; to give up on it, set spec.mode to DryRun and roll back by hand"
                : "; to give up on it, set spec.mode to DryRun");
    LumenPolicyStatus failed = StatusCopies.copy(status);
    failed.setPending(
        new PendingStatus(
            pending.changes(),
            pending.consumedAnnotations(),
            pending.outcome(),
            attempts,
            retry.toString(),
            e.getMessage()));
    var writer = new ConditionList.Writer(in.generation(), now);
    failed.setConditions(
        rollback
            ? writer.set(
                failed.getConditions(),
                Conditions.DEGRADED,
                Condition.Status.True,
                ROLLBACK_FAILED,
                message)
            : writer.set(
                failed.getConditions(),
                Conditions.PROGRESSING,
                Condition.Status.False,
                TRAFFIC_CHANGE_FAILED,
                message));
    String kind = rollback ? ROLLBACK_FAILED : TRAFFIC_CHANGE_FAILED;
    sink.event(true, kind, message);
    if (attempts == 1) {
      sink.notify(true, kind, message);
    }
    return store.write(failed);
  }

  /** A recorded change is not made once the policy no longer enforces, and the event says so. */
  private static void dropOutsideEnforce(
      PendingStatus.ChangeStatus change, LumenPolicySpec spec, PolicySink sink) {
    sink.event(
        false,
        PENDING_CHANGE_DROPPED,
        change.kind()
            + " not made: the policy is in "
            + spec.mode()
            + " mode now ("
            + change.reason()
            + ")");
  }

  /**
   * Events for every decision, notifications for the ones that change traffic or health, counts. A
   * decision that moves traffic tells of it only once Cloud Run serves it ({@code deferred}).
   */
  private static void announce(Decision decision, PolicySink sink, boolean deferred) {
    for (Action action : decision.actions()) {
      if (action instanceof Action.Event e) {
        if (!deferred) {
          sink.event(e.warning(), e.kind(), e.reason());
        }
      } else if (action instanceof Action.Notify n) {
        if (!deferred) {
          sink.notify(n.critical(), n.kind(), n.reason());
        }
      } else {
        sink.decided(action.kind(), decision.enforced());
        if (!decision.enforced()) {
          sink.event(false, "DryRun" + action.kind(), "would " + action.reason());
        }
      }
    }
  }

  /**
   * Cloud Run could not be read, so nothing is decided. A permanent failure (no such service, no
   * permission) makes the policy not Ready with the error; a transient one is retried.
   */
  private static Outcome cloudRunUnreadable(
      Input in,
      StatusStore<LumenPolicyStatus> store,
      PolicySink sink,
      PortException e,
      Instant now) {
    if (e.isTransient()) {
      sink.event(true, CLOUD_RUN_UNAVAILABLE, "no decision this cycle: " + e.getMessage());
    } else {
      var readiness =
          new Readiness(
              Condition.Status.False,
              "CloudRunServiceUnreadable",
              "cannot read spec.service.cloudRun: "
                  + e.getMessage()
                  + "; check the project, region and name, and that Lumen's service account has"
                  + " roles/run.developer on the service");
      sink.report(
          ReadyCondition.write(store, LumenPolicyStatus::new, in.generation(), readiness, now));
    }
    return Outcome.after(FAILURE_RETRY);
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
}
