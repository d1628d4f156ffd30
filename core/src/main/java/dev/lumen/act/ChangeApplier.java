package dev.lumen.act;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.api.v1alpha1.LumenPolicySpec;
import dev.lumen.api.v1alpha1.PendingStatus.ChangeStatus;
import dev.lumen.api.v1alpha1.RolloutStatus.TrafficShare;
import dev.lumen.engine.Durations;
import dev.lumen.engine.measure.TrafficSplit;
import dev.lumen.observe.PolicyObserver;
import dev.lumen.observe.ServiceListings;
import dev.lumen.ports.Backends;
import dev.lumen.ports.CloudRunServices.RevisionInfo;
import dev.lumen.ports.CloudRunServices.ServiceState;
import dev.lumen.ports.PortException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Makes recorded changes through the ports. Each port call is idempotent (no call when the service
 * or key already holds the value), so a change applied before a restart and again after it is made
 * once. The team's revision tags are left as they are; Lumen's own (spec.rollout.revisionTags) come
 * with the traffic change that decides them ({@link RevisionTags}).
 */
public final class ChangeApplier {
  private final Backends backends;
  private final ServiceListings listings;

  /**
   * @param listings told of every Cloud Run change, so that no listing read before it stands for
   *     the service afterwards
   */
  public ChangeApplier(Backends backends, ServiceListings listings) {
    this.backends = backends;
    this.listings = listings;
  }

  /**
   * @param liveTags the service's tags as last read
   * @param redisUrl the cache, for TTL changes
   * @throws PortException when the change could not be made
   */
  public void apply(
      ChangeStatus change,
      LumenPolicySpec spec,
      Map<String, String> liveTags,
      Optional<URI> redisUrl) {
    CloudRunServiceReference ref = spec.service().cloudRun();
    try {
      make(change, spec, ref, liveTags, redisUrl);
    } finally {
      // Made, refused or uncertain: the service is read on its own until a new listing is.
      if (!Changes.SET_CACHE_TTL.equals(change.kind())) {
        listings.changed(ref);
      }
    }
  }

  private void make(
      ChangeStatus change,
      LumenPolicySpec spec,
      CloudRunServiceReference ref,
      Map<String, String> liveTags,
      Optional<URI> redisUrl) {
    switch (change.kind()) {
      case Changes.SET_TRAFFIC -> {
        Map<String, Integer> split = new LinkedHashMap<>();
        for (TrafficShare share : change.traffic()) {
          split.put(share.revision(), share.percent());
        }
        backends
            .cloudRun()
            .setTraffic(
                ref,
                split,
                RevisionTags.merge(
                    liveTags,
                    spec.rollout() == null ? null : spec.rollout().revisionTags(),
                    change.tags()));
      }
      case Changes.SET_MIN_INSTANCES ->
          backends.cloudRun().setMinInstances(ref, change.minInstances());
      case Changes.SET_CACHE_TTL -> {
        if (redisUrl.isEmpty()) {
          throw PortException.permanentFailure(
              "the cache TTL cannot be set: the Redis URL Secret is not readable", null);
        }
        backends
            .redis(redisUrl.get())
            .setTtl(PolicyObserver.ttlKey(spec), Durations.parse(change.cacheTtl()));
      }
      default -> throw PortException.permanentFailure("unknown change kind " + change.kind(), null);
    }
  }

  /** The service's revisions, newest last. */
  public List<RevisionInfo> revisions(LumenPolicySpec spec) {
    return backends.cloudRun().revisions(spec.service().cloudRun());
  }

  /**
   * Confirms that Cloud Run serves a traffic change just made: the split it reports serving ({@code
   * traffic_statuses}), not the one it was asked for.
   *
   * @throws PortException transient while Cloud Run is still rolling the change out, permanent when
   *     it reports that it cannot (its terminal condition failed)
   */
  public void confirmServed(ChangeStatus change, LumenPolicySpec spec) {
    ServiceState state = backends.cloudRun().get(spec.service().cloudRun());
    Map<String, Integer> wanted = TrafficSplit.withoutZeros(Changes.split(change.traffic()));
    Map<String, Integer> served = TrafficSplit.withoutZeros(state.serving());
    if (served.equals(wanted)) {
      return;
    }
    String what = "Cloud Run serves " + served + ", not " + wanted;
    if (state.terminalFailure().isPresent() && !state.reconciling()) {
      throw PortException.permanentFailure(what + ": " + state.terminalFailure().get(), null);
    }
    throw PortException.transientFailure(what + " yet; it is still rolling the change out", null);
  }
}
