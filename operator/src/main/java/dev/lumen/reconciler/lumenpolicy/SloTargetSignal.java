package dev.lumen.reconciler.lumenpolicy;

import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.api.v1alpha1.SLOTargetStatus.SloState;
import java.util.List;

/**
 * What of an SLOTarget its policies react to at once: its spec, its state and the status and reason
 * of each condition. Compliance, burn rates and times change at every evaluation and are read when
 * the policy is next evaluated.
 */
record SloTargetSignal(Long generation, SloState state, List<String> conditions) {
  static SloTargetSignal of(SLOTarget target) {
    var status = target.getStatus();
    return new SloTargetSignal(
        target.getMetadata().getGeneration(),
        status == null ? null : status.getState(),
        status == null || status.getConditions() == null
            ? List.of()
            : status.getConditions().stream().map(SloTargetSignal::summary).toList());
  }

  private static String summary(Condition c) {
    return c.type() + "=" + c.status() + "/" + c.reason();
  }
}
