package dev.lumen.observe;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.ports.CloudRunServices;
import dev.lumen.ports.CloudRunServices.RevisionInfo;
import dev.lumen.ports.CloudRunServices.ServiceState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The revisions of each service, listed again only when the service has a new ready revision, or an
 * hour after the last listing (for revisions deleted in between). A policy is observed every
 * minute, and listing every time doubled the Cloud Run calls of an idle fleet for a list that
 * changes once a deploy.
 */
final class RevisionLists {
  static final Duration MAX_AGE = Duration.ofHours(1);

  private record Listed(String latestReadyRevision, List<RevisionInfo> revisions, Instant at) {}

  private final Map<String, Listed> lists = new ConcurrentHashMap<>();

  List<RevisionInfo> of(
      CloudRunServices cloudRun, CloudRunServiceReference ref, ServiceState live, Instant now) {
    Listed listed = lists.get(ref.resourceName());
    if (listed != null
        && Objects.equals(listed.latestReadyRevision(), live.latestReadyRevision())
        && listed.at().plus(MAX_AGE).isAfter(now)) {
      return listed.revisions();
    }
    List<RevisionInfo> revisions = List.copyOf(cloudRun.revisions(ref));
    lists.put(ref.resourceName(), new Listed(live.latestReadyRevision(), revisions, now));
    return revisions;
  }

  void forget(CloudRunServiceReference ref) {
    lists.remove(ref.resourceName());
  }
}
