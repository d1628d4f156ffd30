package dev.lumen.cycle;

import dev.lumen.act.Changes;
import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import dev.lumen.api.v1alpha1.PendingStatus;
import dev.lumen.api.v1alpha1.RolloutStatus;
import dev.lumen.api.v1alpha1.TrafficOutcome;
import dev.lumen.api.v1alpha1.TrafficOutcome.Announcement;
import dev.lumen.engine.rollout.Action;
import dev.lumen.engine.rollout.Decision;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Intent versus fact for traffic changes. A decision that moves traffic is split in two: status
 * goes on saying what Cloud Run serves, and what status will say once the new split is served
 * (phase, revisions, the split Lumen set, conditions, the announcements that tell of it) waits in
 * {@code pending.outcome} until Cloud Run confirms it.
 */
final class TrafficIntent {
  /** The conditions that tell where the rollout is; they change with the outcome. */
  static final Set<String> ROLLOUT_CONDITIONS =
      Set.of(Conditions.PROGRESSING, Conditions.ROLLBACK_PENDING, Conditions.DEGRADED);

  /** The decision kind of a rollback's traffic change. */
  static final String ROLLBACK = "Rollback";

  static final Duration FIRST_RETRY = Duration.ofSeconds(30);
  static final Duration LONGEST_RETRY = Duration.ofMinutes(10);

  private TrafficIntent() {}

  /** Whether the recorded changes move traffic. */
  static boolean movesTraffic(PendingStatus pending) {
    return pending != null
        && pending.changes() != null
        && pending.changes().stream().anyMatch(c -> Changes.SET_TRAFFIC.equals(c.kind()));
  }

  /** The decision's traffic change: its kind (e.g. Rollback, Promote) and its reason. */
  static Action.SetTraffic move(Decision decision) {
    return decision.actions().stream()
        .filter(Action.SetTraffic.class::isInstance)
        .map(Action.SetTraffic.class::cast)
        .findFirst()
        .orElseThrow();
  }

  /** What {@code decided} says of the rollout, and the decision's events and notifications. */
  static TrafficOutcome outcome(String kind, LumenPolicyStatus decided, List<Action> actions) {
    List<Announcement> announcements = new ArrayList<>();
    for (Action action : actions) {
      if (action instanceof Action.Event e) {
        announcements.add(new Announcement(e.warning(), e.kind(), e.reason(), false, null));
      } else if (action instanceof Action.Notify n) {
        announcements.add(
            new Announcement(
                n.severity().warns(), n.kind(), n.reason(), true, n.severity().label()));
      }
    }
    return new TrafficOutcome(
        kind,
        decided.getPhase(),
        decided.getStableRevision(),
        decided.getCanaryRevision(),
        decided.getCanaryWeight(),
        decided.getStep(),
        decided.getStepStartTime(),
        decided.getRollout(),
        (decided.getConditions() == null ? List.<Condition>of() : decided.getConditions())
            .stream().filter(c -> ROLLOUT_CONDITIONS.contains(c.type())).toList(),
        announcements);
  }

  /** {@code decided} with the rollout as {@code before} had it: what is still served. */
  static LumenPolicyStatus fact(LumenPolicyStatus decided, LumenPolicyStatus before) {
    LumenPolicyStatus fact = StatusCopies.copy(decided);
    fact.setPhase(before.getPhase());
    fact.setStableRevision(before.getStableRevision());
    fact.setCanaryRevision(before.getCanaryRevision());
    fact.setCanaryWeight(before.getCanaryWeight());
    fact.setStep(before.getStep());
    fact.setStepStartTime(before.getStepStartTime());
    fact.setRollout(before.getRollout());
    fact.setConditions(
        merge(
            decided.getConditions(),
            before.getConditions() == null ? List.of() : before.getConditions()));
    return fact;
  }

  /**
   * {@code status} as the outcome says, now that the new split is served. A step's clock (its
   * pause, its analysis window, {@code stepStartTime}) starts at {@code servedAt}, not at the
   * decision: a change Cloud Run took minutes to accept must not eat the step's bake time, nor let
   * the step be judged on requests served at the previous split.
   */
  static LumenPolicyStatus commit(
      LumenPolicyStatus status, TrafficOutcome outcome, Instant servedAt) {
    LumenPolicyStatus done = StatusCopies.copy(status);
    done.setPhase(outcome.phase());
    done.setStableRevision(outcome.stableRevision());
    done.setCanaryRevision(outcome.canaryRevision());
    done.setCanaryWeight(outcome.canaryWeight());
    done.setStep(outcome.step());
    done.setStepStartTime(outcome.stepStartTime() == null ? null : servedAt.toString());
    done.setRollout(watchFrom(outcome.rollout(), servedAt));
    done.setConditions(
        merge(
            status.getConditions(),
            outcome.conditions() == null ? List.of() : outcome.conditions()));
    return done;
  }

  /**
   * A watch starting with this change counts from when the promoted revision serves all traffic,
   * for the same length: requests served before are the canary's, at its step's split.
   */
  private static RolloutStatus watchFrom(RolloutStatus rollout, Instant servedAt) {
    if (rollout == null || rollout.watch() == null) {
      return rollout;
    }
    var watch = rollout.watch();
    Instant start = Instant.parse(watch.startTime());
    if (!servedAt.isAfter(start)) {
      return rollout;
    }
    Duration length = Duration.between(start, Instant.parse(watch.endTime()));
    return rollout.withWatch(
        new RolloutStatus.WatchStatus(
            watch.revision(),
            watch.previousRevision(),
            servedAt.toString(),
            servedAt.plus(length).toString(),
            watch.baseline()));
  }

  /** How long to wait after the {@code attempts}-th refused attempt: doubling, at most 10 min. */
  static Duration backoff(int attempts) {
    Duration wait = FIRST_RETRY.multipliedBy(1L << Math.min(attempts - 1, 10));
    return wait.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : wait;
  }

  /** Whether a refused change waits for its next attempt at {@code now}. */
  static boolean backingOff(PendingStatus pending, Instant now) {
    return pending.retryAfter() != null && now.isBefore(Instant.parse(pending.retryAfter()));
  }

  /** {@code base} with its rollout conditions replaced by those of {@code rollout}. */
  private static List<Condition> merge(List<Condition> base, List<Condition> rollout) {
    List<Condition> merged = new ArrayList<>();
    for (Condition c : base == null ? List.<Condition>of() : base) {
      if (!ROLLOUT_CONDITIONS.contains(c.type())) {
        merged.add(c);
      }
    }
    rollout.stream().filter(c -> ROLLOUT_CONDITIONS.contains(c.type())).forEach(merged::add);
    merged.sort(java.util.Comparator.comparing(Condition::type));
    return merged;
  }
}
