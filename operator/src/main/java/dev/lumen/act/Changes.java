package dev.lumen.act;

import dev.lumen.api.v1alpha1.PendingStatus.ChangeStatus;
import dev.lumen.api.v1alpha1.RolloutStatus.TrafficShare;
import dev.lumen.engine.Durations;
import dev.lumen.engine.rollout.Action;
import java.util.List;
import java.util.Optional;

/** The actions that change the outside world, in the form status records them. */
public final class Changes {
  public static final String SET_TRAFFIC = "SetTraffic";
  public static final String SET_MIN_INSTANCES = "SetMinInstances";
  public static final String SET_CACHE_TTL = "SetCacheTtl";

  private Changes() {}

  /** The world-changing actions of a decision, in order; events and notifications are not. */
  public static List<ChangeStatus> of(List<Action> actions) {
    return actions.stream().map(Changes::of).flatMap(Optional::stream).toList();
  }

  static Optional<ChangeStatus> of(Action action) {
    if (action instanceof Action.SetTraffic t) {
      List<TrafficShare> traffic =
          t.split().entrySet().stream()
              .map(e -> new TrafficShare(e.getKey(), e.getValue()))
              .toList();
      return Optional.of(new ChangeStatus(SET_TRAFFIC, traffic, null, null, t.reason()));
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
}
