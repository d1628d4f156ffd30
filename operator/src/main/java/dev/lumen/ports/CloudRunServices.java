package dev.lumen.ports;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Managed Cloud Run services: read their revisions and traffic, route traffic, set scaling. */
public interface CloudRunServices extends AutoCloseable {
  ServiceState get(CloudRunServiceReference service);

  List<RevisionInfo> revisions(CloudRunServiceReference service);

  /**
   * Routes {@code split} (percent per revision name, summing to 100) and tags revisions with {@code
   * tags} (revision to tag) so each keeps a URL; revisions that are tagged but get no traffic stay
   * at 0 %. Makes no call when the service already routes exactly this.
   */
  void setTraffic(
      CloudRunServiceReference service, Map<String, Integer> split, Map<String, String> tags);

  /** Sets the service-level min-instances, which creates no revision; no call if it holds. */
  void setMinInstances(CloudRunServiceReference service, int count);

  @Override
  void close();

  /**
   * A service as read.
   *
   * @param traffic percent per revision name as configured (revisions at 0 % left out)
   * @param tags tag per revision name
   * @param reconciling whether Cloud Run is still rolling out the last change
   */
  record ServiceState(
      String latestReadyRevision,
      Map<String, Integer> traffic,
      Map<String, String> tags,
      Optional<Integer> minInstances,
      String etag,
      boolean reconciling) {}

  /** One revision: short name, creation time, readiness. */
  record RevisionInfo(String name, Instant created, boolean ready) {}
}
