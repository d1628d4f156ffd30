package dev.lumen.engine.slo;

import java.time.Duration;
import java.util.List;

/**
 * One long/short window pair of the multi-window, multi-burn-rate alerts of the Google SRE
 * workbook. The pair fires when the error budget burns faster than {@code threshold} over both
 * windows: the long window proves the burn is real, the short one that it is still going on.
 *
 * @param budgetFraction share of the whole budget that, spent within the long window, fires
 */
public record BurnRatePair(
    Duration longWindow, Duration shortWindow, double budgetFraction, Severity severity) {

  /** Page a person now, or open a ticket. */
  public enum Severity {
    Page,
    Ticket
  }

  /** The workbook's pairs: 2 % of the budget in 1 h, 5 % in 6 h (page); 10 % in 1 d and 3 d. */
  public static final List<BurnRatePair> WORKBOOK =
      List.of(
          new BurnRatePair(Duration.ofHours(1), Duration.ofMinutes(5), 0.02, Severity.Page),
          new BurnRatePair(Duration.ofHours(6), Duration.ofMinutes(30), 0.05, Severity.Page),
          new BurnRatePair(Duration.ofDays(1), Duration.ofHours(2), 0.10, Severity.Ticket),
          new BurnRatePair(Duration.ofDays(3), Duration.ofHours(6), 0.10, Severity.Ticket));

  /**
   * The burn-rate factor for a compliance window: the budget fraction spent in the long window, as
   * a multiple of the steady rate. For 30 days: 14.4, 6, 3, 1; for 28 days 13.44, 5.6, 2.8, 0.933
   * (the windows stay, the factors scale, as Sloth does).
   */
  public double threshold(Duration complianceWindow) {
    return budgetFraction * complianceWindow.toSeconds() / longWindow.toSeconds();
  }

  /** The pairs that make sense for a window: a long window may not exceed it. */
  public static List<BurnRatePair> forWindow(Duration complianceWindow) {
    return WORKBOOK.stream().filter(p -> p.longWindow.compareTo(complianceWindow) <= 0).toList();
  }
}
