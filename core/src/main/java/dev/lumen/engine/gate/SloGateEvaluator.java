package dev.lumen.engine.gate;

import dev.lumen.api.v1alpha1.GateStatus.Result;
import dev.lumen.api.v1alpha1.SLOTargetStatus.SloState;
import dev.lumen.api.v1alpha1.SloGate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Fails while a named SLOTarget is in the gate's failing state or worse. */
public final class SloGateEvaluator {
  public static final String GATE = "slo";

  private SloGateEvaluator() {}

  /**
   * @param states the state of each SLOTarget the policy names; a missing or NoData state makes the
   *     gate Unknown unless another SLOTarget already fails it
   */
  public static GateResult evaluate(
      SloGate gate, List<String> names, Map<String, SloState> states) {
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
