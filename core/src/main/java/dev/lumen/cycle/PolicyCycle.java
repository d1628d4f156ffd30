package dev.lumen.cycle;

import dev.lumen.act.ChangeApplier;
import dev.lumen.act.Changes;
import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.LumenPolicySpec;
import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import dev.lumen.api.v1alpha1.PendingStatus;
import dev.lumen.api.v1alpha1.RolloutSpec;
import dev.lumen.api.v1alpha1.SLOTargetStatus;
import dev.lumen.engine.Durations;
import dev.lumen.engine.Severity;
import dev.lumen.engine.rollout.Action;
import dev.lumen.engine.rollout.AnalysisSchedule;
import dev.lumen.engine.rollout.Command;
import dev.lumen.engine.rollout.Decision;
import dev.lumen.engine.rollout.PolicyEngine;
import dev.lumen.observe.PolicyObserver;
import dev.lumen.ports.PortException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One cycle of one LumenPolicy: observe, finish or drop what an earlier cycle started, let the
 * engine decide, record the decision in status, act, report, and say when to look next. Changes to
 * the outside world are written to status (as pending) before they are made and cleared after, so a
 * restart finishes them instead of losing or repeating them; {@link RecordedChanges} makes them. A
 * traffic change is recorded as intent and becomes status only once Cloud Run serves it ({@link
 * TrafficIntent}).
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
  private final RecordedChanges changes;
  private final Clock clock;
  private final Duration secretRecheckInterval;

  /**
   * @param secretRecheckInterval how soon to look again for a missing Secret or binding; neither is
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
    this.changes = new RecordedChanges(applier, clock);
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
      RecordedChanges.quietly(() -> sink.event(true, STATUS_UNWRITABLE, e.getMessage()));
      return Outcome.after(clock.instant(), FAILURE_RETRY);
    } catch (RuntimeException e) {
      CycleFailure.report(e, in.generation(), store, sink, LumenPolicyStatus::new, clock.instant());
      return Outcome.after(clock.instant(), FAILURE_RETRY);
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
      return in.readiness().waitsForAnotherObject()
          ? Outcome.after(now, secretRecheckInterval)
          : Outcome.waitForChange(now);
    }
    PolicyObserver.Observation seen;
    try {
      seen = observer.observe(in.owner(), in.spec(), status, in.sloTargets(), in.redis(), now);
    } catch (PortException e) {
      return cloudRunUnreadable(in, store, sink, e, now);
    }
    PendingStatus waiting = status.getPending();
    if (waiting != null && !Changes.mayWait(waiting)) {
      PendingStatus left = changes.finish(in, store, sink, status, seen.current()).getPending();
      return Outcome.after(
          now,
          left == null || Changes.mayWait(left) ? Duration.ZERO : retryIn(left, now),
          seen.gaps());
    }

    Decision decision =
        engine.decide(in.spec(), status, in.generation(), seen.observations(), in.commands(), now);
    LumenPolicyStatus next = decision.status();
    ReadyCondition.update(next, in.generation(), in.readiness().withGaps(seen.gaps()), now);
    if (!decision.enforced() && waiting != null && waiting.changes() != null) {
      waiting
          .changes()
          .forEach(change -> RecordedChanges.dropOutsideEnforce(change, in.spec(), sink));
    }
    PendingStatus pending = pending(decision, waiting, seen.live().traffic());
    // A traffic change is a fact only once Cloud Run serves it: until then status keeps what is
    // served, and what it will say afterwards waits in pending.
    boolean deferred = decision.enforced() && TrafficIntent.movesTraffic(pending);
    Action.SetTraffic move = deferred ? TrafficIntent.move(decision) : null;
    boolean rollback = deferred && TrafficIntent.ROLLBACK.equals(move.kind());
    if (deferred) {
      var outcome = TrafficIntent.outcome(move.kind(), next, decision.actions());
      next = TrafficIntent.fact(next, status);
      pending =
          new PendingStatus(
              pending.changes(), pending.consumedAnnotations(), outcome, null, null, null);
      if (rollback) {
        pending = changes.toAServingRevision(in, sink, pending);
      }
    }
    next.setPending(pending);
    LumenPolicyStatus written;
    try {
      written = store.write(next);
    } catch (StatusStore.Unreachable e) {
      if (rollback) {
        changes.rollBackUnrecorded(in, sink, pending, seen.current());
      }
      throw e;
    }
    announce(decision, sink, deferred);
    if (rollback) {
      sink.event(true, ROLLBACK_STARTED, move.reason());
      sink.notify(Severity.Info, ROLLBACK_STARTED, move.reason());
    }
    if (written.getPending() != null) {
      written = changes.finish(in, store, sink, written, seen.current());
    }
    sink.report(written);
    Duration idle = EvaluationSlots.untilNext(in.uid(), IDLE_INTERVAL, now);
    Duration check = nextCheck(in.spec(), written, now, idle);
    PendingStatus left = written.getPending();
    if (left != null && !Changes.mayWait(left)) {
      return Outcome.after(now, retryIn(left, now), seen.gaps());
    }
    // A tuning change still waiting is tried again at the latest with the next failure retry.
    return Outcome.after(
        now,
        left != null && check.compareTo(FAILURE_RETRY) > 0 ? FAILURE_RETRY : check,
        seen.gaps());
  }

  /** When to try a traffic change again: after its back-off, or after a failure retry. */
  private static Duration retryIn(PendingStatus pending, Instant now) {
    if (pending.retryAfter() == null) {
      return FAILURE_RETRY;
    }
    Duration wait = Duration.between(now, Instant.parse(pending.retryAfter()));
    return wait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : wait;
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

  /**
   * Announces a policy not evaluated yet (after a start), so that the first reads of its project
   * include its service ({@link dev.lumen.observe.BatchedMetrics#expect}).
   */
  public void expect(String owner, LumenPolicySpec spec) {
    observer.expect(owner, spec);
  }

  /** Drops what was kept for a deleted policy: its share of the reads, its service's lists. */
  public void forget(String owner, Optional<CloudRunServiceReference> service) {
    observer.forget(owner, service);
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
          sink.notify(n.severity(), n.kind(), n.reason());
        }
      } else {
        sink.decided(action.kind(), decision.enforced());
        if (!decision.enforced()) {
          sink.event(false, "DryRun" + action.kind(), wouldDo(action));
        }
      }
    }
  }

  /**
   * What a change not made in DryRun would have done: traffic decisions say it themselves ("roll
   * back web-00002 to web-00001: …"), tuning ones say why.
   */
  static String wouldDo(Action action) {
    return switch (action.kind()) {
      case "SetMinInstances" -> "would set min-instances: " + action.reason();
      case "SetCacheTtl" -> "would set the cache TTL: " + action.reason();
      default -> "would " + action.reason();
    };
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
    return Outcome.after(now, FAILURE_RETRY);
  }

  /**
   * The next time something may be due: an analysis or a watch's look, the end of a pause or a
   * grace period.
   *
   * @param idleWait when to look again if nothing is due sooner
   */
  public static Duration nextCheck(
      LumenPolicySpec spec, LumenPolicyStatus status, Instant now, Duration idleWait) {
    Duration next = idleWait;
    var rollout = status.getRollout();
    boolean watching = rollout != null && rollout.watch() != null;
    if ((status.getCanaryRevision() != null || watching) && spec.rollout() != null) {
      Duration interval = Durations.parse(spec.rollout().analysis().interval());
      next = min(next, interval);
      if (status.getCanaryRevision() != null && status.getStepStartTime() != null) {
        next = min(next, untilNextInStep(spec.rollout(), status, now, interval));
      }
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

  /**
   * Until the step's next analysis is due or its pause ends, whichever comes first; an interval
   * when both have passed (the engine has just acted on them). Counting to the instant, not an
   * interval from now, keeps a reconcile that came early (an event, or a clock that slowed down)
   * from pushing the analysis a whole interval back.
   */
  private static Duration untilNextInStep(
      RolloutSpec rollout, LumenPolicyStatus status, Instant now, Duration interval) {
    Instant stepStart = Instant.parse(status.getStepStartTime());
    var last = status.getRollout() == null ? null : status.getRollout().lastAnalysis();
    Instant analysed = last == null || last.time() == null ? null : Instant.parse(last.time());
    Duration next =
        untilIfAhead(interval, now, AnalysisSchedule.nextDue(stepStart, analysed, interval));
    Integer step = status.getStep();
    if (step != null && step >= 0 && step < rollout.steps().size()) {
      String pause = rollout.steps().get(step).pause();
      if (pause != null) {
        next = untilIfAhead(next, now, stepStart.plus(Durations.parse(pause)));
      }
    }
    return next;
  }

  /** The wait until {@code at} when it is still ahead and sooner than {@code wait}; else wait. */
  private static Duration untilIfAhead(Duration wait, Instant now, Instant at) {
    return now.isBefore(at) ? min(wait, Duration.between(now, at)) : wait;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
