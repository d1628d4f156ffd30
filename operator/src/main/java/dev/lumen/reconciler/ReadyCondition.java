package dev.lumen.reconciler;

import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.ObservedStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Objects;

/** Writes the Ready condition and observedGeneration of a resource's status. */
public final class ReadyCondition {
  private final StatusConditions conditions;

  public ReadyCondition(StatusConditions conditions) {
    this.conditions = conditions;
  }

  /**
   * Updates {@code status} for {@code resource} from its readiness.
   *
   * @return whether anything changed, i.e. whether the status needs to be written
   */
  public boolean update(HasMetadata resource, ObservedStatus status, Readiness readiness) {
    Long generation = resource.getMetadata().getGeneration();
    var before = status.getConditions();
    var after =
        conditions.set(
            before,
            Conditions.READY,
            readiness.status(),
            readiness.reason(),
            readiness.message(),
            generation == null ? 0 : generation);
    if (after.equals(before) && Objects.equals(status.getObservedGeneration(), generation)) {
      return false;
    }
    status.setObservedGeneration(generation);
    status.setConditions(after);
    return true;
  }
}
