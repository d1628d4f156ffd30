package dev.lumen.cycle;

import dev.lumen.act.ChangeApplier;
import dev.lumen.act.Changes;
import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.LumenPolicySpec;
import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import dev.lumen.api.v1alpha1.PendingStatus;
import dev.lumen.api.v1alpha1.RolloutStatus;
import dev.lumen.api.v1alpha1.TrafficOutcome;
import dev.lumen.engine.ConditionList;
import dev.lumen.engine.Severity;
import dev.lumen.engine.measure.TrafficSplit;
import dev.lumen.engine.rollout.PolicyEngine;
import dev.lumen.ports.CloudRunServices.ServiceState;
import dev.lumen.ports.PortException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The changes a cycle recorded in {@code status.pending}: made, confirmed served, retried, or
 * dropped when a person or the mode says so. The change protocol's half of {@link PolicyCycle}.
 */
final class RecordedChanges {
  private final ChangeApplier applier;
  private final Clock clock;

  RecordedChanges(ChangeApplier applier, Clock clock) {
    this.applier = applier;
    this.clock = clock;
  }

  /**
   * Makes the pending changes, removes the consumed annotations and clears the record. A traffic
   * change counts once Cloud Run serves it: then its outcome becomes status and is announced. One
   * that may succeed later stays pending and is tried again: a traffic change before anything else
   * is decided, a tuning change while decisions go on (see {@link Changes#mayWait}). A tuning
   * change that fails for good is dropped with a warning; a traffic change that does stays pending
   * with a growing wait (see {@link #refused}). Lumen never replays a change over a person: a
   * change is not made once the policy no longer enforces, nor a traffic change that someone else's
   * overtook (see {@link Changes#overtaken}).
   *
   * @param current the service as it is now, read when a traffic change needs it
   * @return the status as stored afterwards
   */
  LumenPolicyStatus finish(
      PolicyCycle.Input in,
      StatusStore<LumenPolicyStatus> store,
      PolicySink sink,
      LumenPolicyStatus status,
      Supplier<ServiceState> current) {
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
      ServiceState live;
      try {
        live = traffic ? current.get() : null;
      } catch (PortException e) {
        sink.event(
            true,
            PolicyCycle.CHANGE_RETRYING,
            change.kind()
                + " not applied yet: the service could not be read first: "
                + e.getMessage()
                + "; nothing else is decided until it is made");
        return status;
      }
      if (traffic && Changes.overtaken(change, live.traffic())) {
        sink.event(
            true,
            PolicyCycle.PENDING_CHANGE_SUPERSEDED,
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
      // A person's change is noticed at once; Lumen's own next attempt waits its turn.
      if (traffic && TrafficIntent.backingOff(pending, now)) {
        return status;
      }
      try {
        applier.apply(change, in.spec(), traffic ? live.tags() : Map.of(), in.redis());
        if (traffic) {
          applier.confirmServed(change, in.spec());
          served = true;
        }
      } catch (PortException e) {
        if (e.isTransient()) {
          boolean mayWait = Changes.mayWait(change);
          sink.event(
              true,
              PolicyCycle.CHANGE_RETRYING,
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
            true,
            PolicyCycle.CHANGE_FAILED,
            change.kind() + " failed and was dropped: " + e.getMessage());
      }
    }
    sink.removeAnnotations(
        pending.consumedAnnotations() == null ? List.of() : pending.consumedAnnotations());
    var outcome = served ? pending.outcome() : null;
    LumenPolicyStatus done =
        outcome != null
            // Confirmed served just now: the step's clock starts here.
            ? TrafficIntent.commit(status, outcome, clock.instant())
            : StatusCopies.copy(status);
    done.setPending(waiting.isEmpty() ? null : new PendingStatus(List.copyOf(waiting), List.of()));
    LumenPolicyStatus written = store.write(done);
    if (outcome != null && outcome.announcements() != null) {
      for (var said : outcome.announcements()) {
        boolean warning = Boolean.TRUE.equals(said.critical());
        if (Boolean.TRUE.equals(said.notification())) {
          sink.notify(
              Severity.ofLabel(said.severity()).orElse(warning ? Severity.Critical : Severity.Info),
              said.kind(),
              said.message());
        } else {
          sink.event(warning, said.kind(), said.message());
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
      PolicyCycle.Input in,
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
                PolicyCycle.ROLLBACK_FAILED,
                message)
            : writer.set(
                failed.getConditions(),
                Conditions.PROGRESSING,
                Condition.Status.False,
                PolicyCycle.TRAFFIC_CHANGE_FAILED,
                message));
    String kind = rollback ? PolicyCycle.ROLLBACK_FAILED : PolicyCycle.TRAFFIC_CHANGE_FAILED;
    sink.event(true, kind, message);
    if (attempts == 1) {
      sink.notify(rollback ? Severity.Critical : Severity.Warning, kind, message);
    }
    return store.write(failed);
  }

  /**
   * A rollback whose stable revision is gone goes to the newest ready revision that served before
   * the failed canary instead, and says so; without one it stays as decided (and Cloud Run's
   * refusal will say why).
   */
  PendingStatus toAServingRevision(PolicyCycle.Input in, PolicySink sink, PendingStatus pending) {
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
                            c.kind(), all, null, null, c.reason(), c.replaces(), c.tags())
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
            rollout.withTrafficSetByLumen(all),
            outcome.conditions(),
            outcome.announcements());
    sink.event(
        true,
        PolicyCycle.ROLLBACK_RETARGETED,
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
  void rollBackUnrecorded(
      PolicyCycle.Input in,
      PolicySink sink,
      PendingStatus pending,
      Supplier<ServiceState> current) {
    for (var change : pending.changes()) {
      if (!Changes.SET_TRAFFIC.equals(change.kind())) {
        continue;
      }
      try {
        applier.apply(change, in.spec(), current.get().tags(), in.redis());
        applier.confirmServed(change, in.spec());
        quietly(
            () ->
                sink.event(
                    true,
                    PolicyCycle.UNRECORDED_ROLLBACK,
                    "rolled back to "
                        + Changes.split(change.traffic())
                        + " although the API server could not record it first ("
                        + change.reason()
                        + ")"));
      } catch (PortException refused) {
        quietly(() -> sink.event(true, PolicyCycle.ROLLBACK_FAILED, refused.getMessage()));
      }
    }
  }

  /** A recorded change is not made once the policy no longer enforces, and the event says so. */
  static void dropOutsideEnforce(
      PendingStatus.ChangeStatus change, LumenPolicySpec spec, PolicySink sink) {
    sink.event(
        false,
        PolicyCycle.PENDING_CHANGE_DROPPED,
        change.kind()
            + " not made: the policy is in "
            + spec.mode()
            + " mode now ("
            + change.reason()
            + ")");
  }

  /** Reports what the API server may not take now; its failure changes nothing. */
  static void quietly(Runnable report) {
    try {
      report.run();
    } catch (RuntimeException ignored) {
      // The API server is out; the operator's log has the line already.
    }
  }
}
