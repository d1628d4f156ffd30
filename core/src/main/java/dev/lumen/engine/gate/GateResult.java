package dev.lumen.engine.gate;

import dev.lumen.api.v1alpha1.GateStatus;
import dev.lumen.engine.Decimals;
import java.util.Optional;

/** The outcome of one gate, with the value it is based on and a sentence for people. */
public record GateResult(
    String name, GateStatus.Result result, Optional<Double> value, String message) {

  public static GateResult unknown(String name, String message) {
    return new GateResult(name, GateStatus.Result.Unknown, Optional.empty(), message);
  }

  public GateStatus toStatus() {
    return new GateStatus(
        name, result, value.map(v -> Decimals.format(v, 2)).orElse(null), message);
  }
}
