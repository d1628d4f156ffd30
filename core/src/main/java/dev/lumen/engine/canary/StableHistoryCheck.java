package dev.lumen.engine.canary;

import dev.lumen.engine.Decimals;
import dev.lumen.engine.measure.RequestCounts;

/**
 * Whether stable's requests during the rollout still agree with its history. The history stands in
 * for stable's rate only while that rate holds: a dependency failing during the rollout raises
 * stable's errors and the canary's together, and weighed against an older, lower rate the canary
 * would look worse than it is. The check is the same conditional test as the comparison, stable now
 * against stable before, both ways, in a mixture of ratios from a third to three; it holds at every
 * look, so a stable rate that has not changed sets its history aside in at most {@link
 * #share(double)} of rollouts, which the promotion weighed with the history gives up.
 */
public final class StableHistoryCheck {
  private static final double[] RATIOS = {1.5, 2, 3, 1 / 1.5, 0.5, 1 / 3.0};
  private static final double[] WEIGHTS = {1, 1, 1, 1, 1, 1};

  private StableHistoryCheck() {}

  /**
   * The set-aside's share of a promotion's {@code guarantee} (the chance allowed of promoting a
   * canary at mustCatch): a fifth of it, at most {@link FalseRollbacks#STABLE_HISTORY}, so that a
   * strict confidence still leaves the promotion a share of its own.
   */
  static double share(double guarantee) {
    return Math.min(FalseRollbacks.STABLE_HISTORY, guarantee / 5);
  }

  /**
   * What is left of {@code guarantee} for a promotion weighed with the history: it has two chances,
   * the history's and the steps' own once the history is set aside.
   */
  static double promotionGuarantee(double guarantee) {
    return guarantee - share(guarantee);
  }

  /**
   * Whether {@code during} shows stable's error rate differs from {@code before}, for a promotion
   * allowed {@code guarantee}.
   */
  public static boolean differs(RequestCounts during, RequestCounts before, double guarantee) {
    return evidence(during, before) >= Math.log(1 / share(guarantee));
  }

  /** The log of the evidence that the rates differ. */
  static double evidence(RequestCounts during, RequestCounts before) {
    double[] logs = new double[RATIOS.length];
    for (int i = 0; i < RATIOS.length; i++) {
      logs[i] =
          RateRatio.logLikelihoodRatio(
              during.errors(), during.total(), before.errors(), before.total(), RATIOS[i], 1);
    }
    return Mixtures.logWeightedMean(logs, WEIGHTS, logs.length);
  }

  /** One line for people: the two rates. */
  public static String describe(RequestCounts during, RequestCounts before, String window) {
    return "stable's error rate during the rollout, "
        + percent(during)
        + " % of "
        + during.total()
        + " requests, differs from its "
        + percent(before)
        + " % of "
        + before.total()
        + " requests in the "
        + window
        + " before: the promotion weighs the rollout's own requests from here";
  }

  private static String percent(RequestCounts counts) {
    return Decimals.format(counts.total() == 0 ? 0 : 100.0 * counts.errors() / counts.total(), 3);
  }
}
