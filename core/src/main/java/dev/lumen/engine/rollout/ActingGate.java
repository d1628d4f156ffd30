package dev.lumen.engine.rollout;

import dev.lumen.api.v1alpha1.GateAction;
import dev.lumen.api.v1alpha1.GateStatus;
import dev.lumen.engine.gate.GateResult;

/** A gate's result now, and what its spec says Lumen does while it fails. */
record ActingGate(GateResult result, GateAction action) {
  boolean fails() {
    return result.result() == GateStatus.Result.Fail;
  }

  /** What blocks or triggers, e.g. {@code slo gate: SLOTarget checkout is Critical (...)}. */
  String describe() {
    return result.name() + " gate: " + result.message();
  }
}
