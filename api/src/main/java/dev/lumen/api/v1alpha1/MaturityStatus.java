package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Maturity score from six measures, and the level it maps to. */
public record MaturityStatus(
    @JsonPropertyDescription("Score from 0 to 100.") String score,
    @JsonPropertyDescription("Level 1 to 5.") Integer level,
    @JsonPropertyDescription("Name of the level, e.g. Quantitatively Managed.") String levelName,
    @JsonPropertyDescription(
            "The measures the score is the mean of, each with its value and score; a measure"
                + " without data is absent (docs/decisions.md, Maturity score).")
        List<MeasureStatus> measures) {

  /** One measure of the maturity score. */
  public record MeasureStatus(
      @JsonPropertyDescription(
              "deploysPerWeek, meanLatencyMillis, errorRatePercent, availabilityPercent,"
                  + " cacheHitRatePercent or costPerThousandRequests.")
          String name,
      @JsonPropertyDescription("The measured value, in the unit its name says.") String value,
      @JsonPropertyDescription("What it scores, 0 to 100.") String score) {}
}
