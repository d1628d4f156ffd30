package dev.lumen.observe;

import dev.lumen.api.v1alpha1.BurnRateStatus;
import dev.lumen.api.v1alpha1.ObjectiveStatus;
import dev.lumen.api.v1alpha1.SLOTargetStatus;
import dev.lumen.engine.Decimals;
import dev.lumen.engine.gate.ErrorBudgets;
import dev.lumen.engine.gate.ErrorBudgets.BudgetLeft;
import dev.lumen.engine.gate.ErrorBudgets.Burn;
import dev.lumen.engine.rollout.PolicyObservations.SloSummary;
import java.util.Comparator;
import java.util.Optional;

/** What a policy's gates read of an SLOTarget's status. */
final class SloSummaries {
  private SloSummaries() {}

  static SloSummary of(SLOTargetStatus status) {
    Optional<BudgetLeft> lowest = Optional.empty();
    Optional<Burn> burn = Optional.empty();
    for (ObjectiveStatus objective :
        status.getObjectives() == null
            ? java.util.List.<ObjectiveStatus>of()
            : status.getObjectives()) {
      if (objective.errorBudgetRemaining() != null) {
        var left =
            new BudgetLeft(objective.name(), Decimals.parse(objective.errorBudgetRemaining()));
        if (lowest.isEmpty() || left.remainingPercent() < lowest.get().remainingPercent()) {
          lowest = Optional.of(left);
        }
      }
      for (BurnRateStatus pair :
          objective.burnRates() == null
              ? java.util.List.<BurnRateStatus>of()
              : objective.burnRates()) {
        if (Boolean.TRUE.equals(pair.firing())) {
          var firing =
              new Burn(
                  objective.name(),
                  pair.severity(),
                  pair.longWindow(),
                  pair.shortWindow(),
                  pair.longRate());
          burn = burn.isEmpty() ? Optional.of(firing) : Optional.of(moreSevere(burn.get(), firing));
        }
      }
    }
    return new SloSummary(
        status.getState(),
        Optional.ofNullable(status.getCompliance()).map(Decimals::parse),
        new ErrorBudgets(lowest, burn));
  }

  /** Page before Ticket; of the same severity, the faster. */
  private static Burn moreSevere(Burn a, Burn b) {
    Comparator<Burn> order =
        Comparator.<Burn>comparingInt(x -> "Page".equals(x.severity()) ? 1 : 0)
            .thenComparingDouble(x -> x.rate() == null ? 0 : Decimals.parse(x.rate()));
    return order.compare(a, b) >= 0 ? a : b;
  }
}
