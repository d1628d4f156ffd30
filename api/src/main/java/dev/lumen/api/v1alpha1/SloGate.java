package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** Fails while any SLOTarget of spec.sloTargets is in the given state or worse. */
public record SloGate(
    @JsonPropertyDescription(
            "Fail while an SLOTarget is Critical (default), or already when it is Warning.")
        @Default("Critical")
        FailOn failOn) {

  /** The SLOTarget state at which the gate fails. */
  public enum FailOn {
    Critical,
    Warning
  }
}
