package dev.lumen.engine.canary;

import dev.lumen.api.v1alpha1.AnalysisStatus;
import dev.lumen.api.v1alpha1.AnalysisStatus.Verdict;
import dev.lumen.engine.Decimals;
import java.time.Instant;
import java.util.List;

/**
 * The judgement of one analysis interval.
 *
 * @param score share of the checks that passed, 0 to 1 (the old stage criterion: above 0.75)
 */
public record AnalysisResult(
    Verdict verdict, double score, long canaryRequests, List<Check> checks) {
  public AnalysisStatus toStatus(Instant time) {
    return new AnalysisStatus(
        time.toString(),
        verdict,
        Decimals.format(score, 2),
        canaryRequests,
        checks.stream().map(Check::toStatus).toList());
  }

  /** The checks that failed, for the reason of a rollback. */
  public String failures() {
    return String.join(
        "; ",
        checks.stream()
            .filter(c -> c.verdict() == Verdict.Fail)
            .map(c -> c.name() + ": " + c.message())
            .toList());
  }
}
