package dev.lumen.reconciler;

import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.Conditions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/** Writes the Ready condition of a resource from its readiness, keeping other conditions. */
public final class ReadyCondition {
  private final StatusConditions conditions;

  public ReadyCondition(StatusConditions conditions) {
    this.conditions = conditions;
  }

  public List<Condition> apply(
      HasMetadata resource, List<Condition> existing, Readiness readiness) {
    return conditions.set(
        existing,
        Conditions.READY,
        readiness.status(),
        readiness.reason(),
        readiness.message(),
        resource.getMetadata().getGeneration() == null
            ? 0
            : resource.getMetadata().getGeneration());
  }
}
