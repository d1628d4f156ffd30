package dev.lumen.engine.gate;

import java.util.Optional;

/**
 * What an SLOTarget reports of its error budgets, for the SLO gate's freeze: the objective with the
 * least budget left, and the most severe burn-rate pair firing.
 */
public record ErrorBudgets(Optional<BudgetLeft> lowest, Optional<Burn> firing) {
  public static final ErrorBudgets NONE = new ErrorBudgets(Optional.empty(), Optional.empty());

  /** An objective's error budget left, in percent of its budget (negative when overspent). */
  public record BudgetLeft(String objective, double remainingPercent) {}

  /** A firing burn-rate pair of an objective: Page or Ticket, its windows and long-window rate. */
  public record Burn(
      String objective, String severity, String longWindow, String shortWindow, String rate) {}
}
