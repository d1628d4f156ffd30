package dev.lumen.ports;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Managed Cloud Run services: read their revisions and traffic, route traffic, set scaling. */
public interface CloudRunServices extends AutoCloseable {
  /** Services a listing asks for per call. */
  int LIST_PAGE_SIZE = 500;

  ServiceState get(CloudRunServiceReference service);

  /**
   * Every service of {@code project} in {@code region}, by short name, each as {@link #get} would
   * read it: one call for a whole project's services (a call per page of {@link #LIST_PAGE_SIZE})
   * instead of one per service.
   */
  Map<String, ServiceState> list(String project, String region);

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
   * @param instanceSize the first container's limits, which the bill is computed from
   * @param serving percent per revision name as Cloud Run reports it serves ({@code
   *     traffic_statuses}); differs from {@code traffic} while a change rolls out or after one
   *     failed
   * @param terminalFailure why Cloud Run could not bring the service to its configuration ({@code
   *     terminal_condition} failed), if it could not
   */
  record ServiceState(
      String latestReadyRevision,
      Map<String, Integer> traffic,
      Map<String, String> tags,
      Optional<Integer> minInstances,
      String etag,
      boolean reconciling,
      InstanceSize instanceSize,
      Map<String, Integer> serving,
      Optional<String> terminalFailure) {

    /** A service that serves what it is configured to. */
    public ServiceState(
        String latestReadyRevision,
        Map<String, Integer> traffic,
        Map<String, String> tags,
        Optional<Integer> minInstances,
        String etag,
        boolean reconciling,
        InstanceSize instanceSize) {
      this(
          latestReadyRevision,
          traffic,
          tags,
          minInstances,
          etag,
          reconciling,
          instanceSize,
          traffic,
          Optional.empty());
    }
  }

  /**
   * What one instance is billed for: its CPU and memory limits.
   *
   * @param vcpu CPUs, e.g. 1 or 0.5
   * @param memoryGib memory in GiB, e.g. 0.5 for 512Mi
   */
  record InstanceSize(double vcpu, double memoryGib) {
    /** Cloud Run's defaults when a service sets no limits. */
    public static final InstanceSize DEFAULT = new InstanceSize(1, 0.5);
  }

  /** One revision: short name, creation time, readiness. */
  record RevisionInfo(String name, Instant created, boolean ready) {}
}
