package dev.lumen.engine.rollout;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The Cloud Run service as last read.
 *
 * @param latestReadyRevision the newest revision that is ready to serve
 * @param traffic live percent per revision (revisions at 0 % may be left out)
 * @param revisionCreated creation time per known revision, to tell newer from older
 * @param minInstances the service-level min-instances
 */
public record ServiceSnapshot(
    String latestReadyRevision,
    Map<String, Integer> traffic,
    Map<String, Instant> revisionCreated,
    Optional<Integer> minInstances) {

  /** Whether {@code revision} is newer than {@code than}; unknown creation times count as newer. */
  boolean isNewer(String revision, String than) {
    Instant a = revisionCreated.get(revision);
    Instant b = than == null ? null : revisionCreated.get(than);
    return a == null || b == null || a.isAfter(b);
  }
}
