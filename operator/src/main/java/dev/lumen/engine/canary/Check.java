package dev.lumen.engine.canary;

import dev.lumen.api.v1alpha1.AnalysisStatus.CheckStatus;
import dev.lumen.api.v1alpha1.AnalysisStatus.Verdict;

/** One check of a canary analysis, with the measured value and the limit behind its verdict. */
public record Check(String name, Verdict verdict, String value, String limit, String message) {
  public CheckStatus toStatus() {
    return new CheckStatus(name, verdict, value, limit, message);
  }
}
