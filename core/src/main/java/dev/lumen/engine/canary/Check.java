package dev.lumen.engine.canary;

import dev.lumen.api.v1alpha1.AnalysisStatus.CheckStatus;
import dev.lumen.api.v1alpha1.AnalysisStatus.Verdict;

/**
 * One check of a canary analysis, with the measured value and the limit behind its verdict.
 *
 * @param outsideLimit an Inconclusive check whose measured value is on the wrong side of its limit,
 *     not yet significantly: it holds the step whatever the score, so that a canary is not moved on
 *     while its measurement says it is worse than allowed
 */
public record Check(
    String name,
    Verdict verdict,
    String value,
    String limit,
    String message,
    boolean outsideLimit) {
  public Check(String name, Verdict verdict, String value, String limit, String message) {
    this(name, verdict, value, limit, message, false);
  }

  static Check outsideLimit(String name, String value, String limit, String message) {
    return new Check(name, Verdict.Inconclusive, value, limit, message, true);
  }

  /** The same check with {@code note} added to its message. */
  Check noting(String note) {
    return note.isEmpty()
        ? this
        : new Check(name, verdict, value, limit, message + note, outsideLimit);
  }

  public CheckStatus toStatus() {
    return new CheckStatus(name, verdict, value, limit, message);
  }
}
