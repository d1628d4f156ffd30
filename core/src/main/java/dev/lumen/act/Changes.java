package dev.lumen.act;

import dev.lumen.api.v1alpha1.PendingStatus;
import dev.lumen.api.v1alpha1.PendingStatus.ChangeStatus;
import dev.lumen.api.v1alpha1.RolloutStatus.TrafficShare;
import dev.lumen.engine.Durations;
import dev.lumen.engine.measure.TrafficSplit;
import dev.lumen.engine.rollout.Action;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The actions that change the outside world, in the form status records them. */
public final class Changes {
  public static final String SET_TRAFFIC = "SetTraffic";
  public static final String SET_MIN_INSTANCES = "SetMinInstances";
  public static final String SET_CACHE_TTL = "SetCacheTtl";

  private Changes() {}

  /**
   * Whether a change may wait while later decisions go on. A tuning change can: the next decision
   * does not build on it (it reads the service and Redis as they are), and a Redis or Cloud Run
   * that keeps refusing it must not hold up a rollback. A traffic change cannot: the rollout's
   * status already counts it made.
   */
  public static boolean mayWait(ChangeStatus change) {
    return !SET_TRAFFIC.equals(change.kind());
  }

  /** Whether everything {@code pending} still holds may wait (see {@link #mayWait}). */
  public static boolean mayWait(PendingStatus pending) {
    return (pending.consumedAnnotations() == null || pending.consumedAnnotations().isEmpty())
        && (pending.changes() == null || pending.changes().stream().allMatch(Changes::mayWait));
  }

  /**
   * The changes of a new decision, then those still waiting from earlier that it does not replace:
   * a new change of a kind supersedes the waiting one, and traffic goes first, ahead of a Redis
   * that may hold the reconcile until its deadline.
   */
  public static List<ChangeStatus> after(List<ChangeStatus> waiting, List<ChangeStatus> decided) {
    List<ChangeStatus> all = new ArrayList<>(decided);
    waiting.stream()
        .filter(w -> decided.stream().noneMatch(d -> d.kind().equals(w.kind())))
        .forEach(all::add);
    return List.copyOf(all);
  }

  /**
   * The world-changing actions of a decision, in order; events and notifications are not.
   *
   * @param live the split the service routes now: what the first traffic change replaces (a second
   *     one in the same decision replaces the first one's)
   */
  public static List<ChangeStatus> of(List<Action> actions, Map<String, Integer> live) {
    List<ChangeStatus> changes = new ArrayList<>();
    Map<String, Integer> replaced = TrafficSplit.withoutZeros(live);
    for (Action action : actions) {
      Optional<ChangeStatus> change = of(action, replaced);
      change.ifPresent(changes::add);
      if (action instanceof Action.SetTraffic t) {
        replaced = TrafficSplit.withoutZeros(t.split());
      }
    }
    return List.copyOf(changes);
  }

  /**
   * Whether a recorded traffic change was overtaken: the service routes neither the split the
   * change was decided against nor its target, so someone changed it since. A change recorded
   * without the split it replaces (by an older operator) is never taken as overtaken.
   */
  public static boolean overtaken(ChangeStatus change, Map<String, Integer> live) {
    if (!SET_TRAFFIC.equals(change.kind()) || change.replaces() == null) {
      return false;
    }
    Map<String, Integer> now = TrafficSplit.withoutZeros(live);
    return !now.equals(split(change.traffic())) && !now.equals(split(change.replaces()));
  }

  /** A recorded split as percent per revision, without revisions at 0 %. */
  public static Map<String, Integer> split(List<TrafficShare> shares) {
    Map<String, Integer> split = new TreeMap<>();
    if (shares != null) {
      shares.forEach(s -> split.put(s.revision(), s.percent()));
    }
    return TrafficSplit.withoutZeros(split);
  }

  static Optional<ChangeStatus> of(Action action, Map<String, Integer> replaced) {
    if (action instanceof Action.SetTraffic t) {
      return Optional.of(
          new ChangeStatus(
              SET_TRAFFIC,
              shares(t.split()),
              null,
              null,
              t.reason(),
              shares(replaced),
              t.tags().entrySet().stream()
                  .map(e -> new PendingStatus.RevisionTag(e.getKey(), e.getValue()))
                  .toList()));
    }
    if (action instanceof Action.SetMinInstances m) {
      return Optional.of(new ChangeStatus(SET_MIN_INSTANCES, null, m.count(), null, m.reason()));
    }
    if (action instanceof Action.SetCacheTtl c) {
      return Optional.of(
          new ChangeStatus(SET_CACHE_TTL, null, null, Durations.format(c.ttl()), c.reason()));
    }
    return Optional.empty();
  }

  private static List<TrafficShare> shares(Map<String, Integer> split) {
    return new TreeMap<>(split)
        .entrySet().stream().map(e -> new TrafficShare(e.getKey(), e.getValue())).toList();
  }
}
