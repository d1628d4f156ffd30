package dev.lumen.engine.gate;

import dev.lumen.api.v1alpha1.FreezeWhen;
import dev.lumen.api.v1alpha1.GateStatus.Result;
import dev.lumen.api.v1alpha1.SLOTargetStatus.SloState;
import dev.lumen.api.v1alpha1.SloGate;
import dev.lumen.engine.Decimals;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Fails while a named SLOTarget is in the gate's failing state or worse. */
public final class SloGateEvaluator {
  public static final String GATE = "slo";

  private SloGateEvaluator() {}

  public static GateResult evaluate(
      SloGate gate, List<String> names, Map<String, SloState> states) {
    return evaluate(gate, names, states, Map.of());
  }

  /**
   * @param states the state of each SLOTarget the policy names; a missing or NoData state makes the
   *     gate Unknown unless another SLOTarget already fails it
   * @param budgets what each SLOTarget reports of its error budgets, for {@code freezeWhen}
   */
  public static GateResult evaluate(
      SloGate gate,
      List<String> names,
      Map<String, SloState> states,
      Map<String, ErrorBudgets> budgets) {
    List<String> failing =
        names.stream()
            .filter(n -> fails(gate.failOn(), states.get(n)))
            .collect(Collectors.toList());
    if (!failing.isEmpty()) {
      return new GateResult(
          GATE,
          Result.Fail,
          Optional.empty(),
          "SLOTarget "
              + String.join(", ", failing)
              + " is "
              + describe(failing, states)
              + " (gate fails on "
              + gate.failOn()
              + ")");
    }
    List<String> frozen = frozen(gate.freezeWhen(), names, budgets);
    if (!frozen.isEmpty()) {
      return new GateResult(
          GATE,
          Result.Fail,
          Optional.empty(),
          String.join("; ", frozen) + ": releases frozen until it recovers (gates.slo.freezeWhen)");
    }
    List<String> unknown =
        names.stream()
            .filter(n -> states.get(n) == null || states.get(n) == SloState.NoData)
            .collect(Collectors.toList());
    if (!unknown.isEmpty()) {
      return GateResult.unknown(
          GATE, "no measurement yet for SLOTarget " + String.join(", ", unknown));
    }
    List<String> warning = names.stream().filter(n -> states.get(n) == SloState.Warning).toList();
    if (!warning.isEmpty()) {
      return new GateResult(
          GATE,
          Result.Warn,
          Optional.empty(),
          "SLOTarget " + String.join(", ", warning) + " is Warning");
    }
    return new GateResult(GATE, Result.Pass, Optional.empty(), "all SLOTargets are Healthy");
  }

  /** Why the error-budget policy freezes releases, one line per SLOTarget figure; empty if not. */
  private static List<String> frozen(
      FreezeWhen freeze, List<String> names, Map<String, ErrorBudgets> budgets) {
    List<String> why = new ArrayList<>();
    if (freeze == null) {
      return why;
    }
    for (String name : names) {
      ErrorBudgets figures = budgets.getOrDefault(name, ErrorBudgets.NONE);
      if (freeze.budgetRemainingBelow() != null && figures.lowest().isPresent()) {
        var left = figures.lowest().get();
        double below = Decimals.parse(freeze.budgetRemainingBelow());
        if (left.remainingPercent() < below) {
          why.add(
              "SLOTarget "
                  + name
                  + ": error budget remaining "
                  + Decimals.format(left.remainingPercent(), 1)
                  + " % (objective "
                  + left.objective()
                  + ") is below "
                  + freeze.budgetRemainingBelow()
                  + " %");
        }
      }
      if (freeze.burnRate() != null && figures.firing().isPresent()) {
        var burn = figures.firing().get();
        if (freeze.burnRate() == FreezeWhen.BurnSeverity.Ticket || "Page".equals(burn.severity())) {
          why.add(
              "SLOTarget "
                  + name
                  + ": objective "
                  + burn.objective()
                  + " burns its error budget "
                  + burn.rate()
                  + "x over "
                  + burn.longWindow()
                  + " and "
                  + burn.shortWindow()
                  + " ("
                  + burn.severity()
                  + ")");
        }
      }
    }
    return why;
  }

  private static boolean fails(SloGate.FailOn failOn, SloState state) {
    return state == SloState.Critical
        || (failOn == SloGate.FailOn.Warning && state == SloState.Warning);
  }

  private static String describe(List<String> names, Map<String, SloState> states) {
    return names.stream()
        .map(n -> String.valueOf(states.get(n)))
        .distinct()
        .collect(Collectors.joining("/"));
  }
}
