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
        List<String> consumedAnnotations) {

  /** One change to the outside world. */
  public record ChangeStatus(
      @JsonPropertyDescription("SetTraffic, SetMinInstances or SetCacheTtl.") String kind,
      @JsonPropertyDescription("For SetTraffic: percent per revision, summing to 100.")
          List<RolloutStatus.TrafficShare> traffic,
      @JsonPropertyDescription("For SetMinInstances: the service-level min-instances.")
          Integer minInstances,
      @JsonPropertyDescription("For SetCacheTtl: the TTL, e.g. 7m30s.") String cacheTtl,
      @JsonPropertyDescription("Why it was decided.") String reason) {}
}
