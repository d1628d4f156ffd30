package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Overall health: 30 % maturity, 30 % ROI, 40 % SLO compliance. */
public record HealthStatus(
    @JsonPropertyDescription("Score from 0 to 100.") String score,
    @JsonPropertyDescription("Excellent (90+), Good (70-89), Fair (50-69) or Poor (below 50).")
        Grade grade) {

  /** Health grade bands. */
  public enum Grade {
    Excellent,
    Good,
    Fair,
    Poor
  }
}
