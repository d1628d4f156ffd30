package dev.lumen.cycle;

import dev.lumen.ports.CloudRunServices.RevisionInfo;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Where a rollback sends traffic when its stable revision is gone (deleted, or no longer ready):
 * the newest ready revision older than the failed canary, which is the one that served before it.
 */
final class RollbackTarget {
  private RollbackTarget() {}

  /**
   * @param stable the revision the rollback was decided to send all traffic to
   * @param failed the canary rolled back
   * @return the revision to use instead, when {@code stable} is not a ready revision and another
   *     one qualifies
   */
  static Optional<String> replacing(List<RevisionInfo> revisions, String stable, String failed) {
    if (revisions.stream().anyMatch(r -> r.name().equals(stable) && r.ready())) {
      return Optional.empty();
    }
    Instant before =
        revisions.stream()
            .filter(r -> r.name().equals(failed))
            .map(RevisionInfo::created)
            .findFirst()
            .orElse(Instant.MAX);
    return revisions.stream()
        .filter(r -> r.ready() && !r.name().equals(failed) && r.created().isBefore(before))
        .max(Comparator.comparing(RevisionInfo::created))
        .map(RevisionInfo::name);
  }
}
