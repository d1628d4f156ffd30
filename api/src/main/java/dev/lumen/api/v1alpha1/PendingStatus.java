package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * What Lumen decided and recorded but has not yet confirmed done. It is written before the changes
 * are made, so an operator that stops half-way applies them on restart instead of losing or
 * re-deciding them; every change is idempotent, so applying one twice changes nothing.
 */
public record PendingStatus(
    @JsonPropertyDescription("Changes to the service or its cache, in order.")
        List<ChangeStatus> changes,
    @JsonPropertyDescription(
            "Steering annotations (lumen.dev/...) acted on, to be removed from the resource.")
        List<String> consumedAnnotations,
    @JsonPropertyDescription(
            "With a SetTraffic change: what status will say of the rollout once Cloud Run serves"
                + " the new split. Until then status says what is served.")
        TrafficOutcome outcome,
    @JsonPropertyDescription("Attempts at the SetTraffic change that Cloud Run refused so far.")
        Integer attempts,
    @JsonPropertyDescription(
            "After a refused attempt: when the next one is made (RFC 3339); the wait doubles with"
                + " every attempt, up to 10 minutes.")
        String retryAfter,
    @JsonPropertyDescription("Why the last attempt did not end with the new split served.")
        String lastError) {

  /** Changes and consumed annotations, without a traffic outcome or earlier attempts. */
  public PendingStatus(List<ChangeStatus> changes, List<String> consumedAnnotations) {
    this(changes, consumedAnnotations, null, null, null, null);
  }

  /** One change to the outside world. */
  public record ChangeStatus(
      @JsonPropertyDescription("SetTraffic, SetMinInstances or SetCacheTtl.") String kind,
      @JsonPropertyDescription("For SetTraffic: percent per revision, summing to 100.")
          List<RolloutStatus.TrafficShare> traffic,
      @JsonPropertyDescription("For SetMinInstances: the service-level min-instances.")
          Integer minInstances,
      @JsonPropertyDescription("For SetCacheTtl: the TTL, e.g. 7m30s.") String cacheTtl,
      @JsonPropertyDescription("Why it was decided.") String reason,
      @JsonPropertyDescription(
              "For SetTraffic: the split the service routed when the change was decided. A change"
                  + " finished later (after a restart or a failure) is made only while the service"
                  + " still routes this split or already the new one; otherwise a person or another"
                  + " tool changed it since, and the change is dropped (PendingChangeSuperseded).")
          List<RolloutStatus.TrafficShare> replaces,
      @JsonPropertyDescription(
              "For SetTraffic: the Cloud Run tags Lumen puts on revisions with the split"
                  + " (spec.rollout.revisionTags); empty at the end of a rollout, which removes"
                  + " Lumen's tags.")
          List<RevisionTag> tags) {

    /** A change whose split to replace is not known (kinds other than SetTraffic). */
    public ChangeStatus(
        String kind,
        List<RolloutStatus.TrafficShare> traffic,
        Integer minInstances,
        String cacheTtl,
        String reason) {
      this(kind, traffic, minInstances, cacheTtl, reason, null, null);
    }
  }

  /** A Cloud Run tag on a revision. */
  public record RevisionTag(
      @JsonPropertyDescription("Revision name.") String revision,
      @JsonPropertyDescription("The tag, e.g. canary.") String tag) {}
}
