package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** One canary analysis: the verdict, the confidence score and every check behind them. */
public record AnalysisStatus(
    @JsonPropertyDescription("When the analysis ran (RFC 3339).") String time,
    @JsonPropertyDescription("Pass, Fail or Inconclusive.") Verdict verdict,
    @JsonPropertyDescription("Share of checks that passed, from 0 to 1, e.g. \"0.80\".")
        String score,
    @JsonPropertyDescription("Canary requests the analysis was based on.") Long canaryRequests,
    @JsonPropertyDescription("Every check with its measured value and limit.")
        List<CheckStatus> checks) {

  /** The outcome of an analysis or of one check. */
  public enum Verdict {
    Pass,
    Fail,
    Inconclusive
  }

  /** One check of an analysis. */
  public record CheckStatus(
      @JsonPropertyDescription("The check, e.g. errorRate, latencyP95, errorRateVsStable.")
          String name,
      @JsonPropertyDescription("Pass, Fail or Inconclusive.") Verdict verdict,
      @JsonPropertyDescription("The measured value, e.g. \"0.42\" (percent) or \"180\" (ms).")
          String value,
      @JsonPropertyDescription("The limit it was compared with.") String limit,
      @JsonPropertyDescription("Why the check has this verdict.") String message) {}
}
