package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The latest result of one gate. */
public record GateStatus(
    @JsonPropertyDescription("The gate: slo, roi, budget or maturity.") String name,
    @JsonPropertyDescription(
            "Pass, Warn, Fail, or Unknown when there was not enough data to judge.")
        Result result,
    @JsonPropertyDescription("The measured value the result is based on, e.g. \"2036.75\".")
        String value,
    @JsonPropertyDescription("Why the gate has this result, for people.") String message) {

  /** The outcome of a gate. */
  public enum Result {
    Pass,
    Warn,
    Fail,
    Unknown
  }
}
