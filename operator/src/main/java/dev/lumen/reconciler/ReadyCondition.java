package dev.lumen.reconciler;

import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.ObservedStatus;
import dev.lumen.engine.ConditionList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Clock;
import java.util.Objects;

/** Writes the Ready condition and observedGeneration of a resource's status. */
public final class ReadyCondition {
  private final Clock clock;

  public ReadyCondition(Clock clock) {
    this.clock = clock;
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
        ConditionList.set(
            before,
            Conditions.READY,
            readiness.status(),
            readiness.reason(),
            readiness.message(),
            generation == null ? 0 : generation,
            clock.instant());
    if (after.equals(before) && Objects.equals(status.getObservedGeneration(), generation)) {
      return false;
    }
    status.setObservedGeneration(generation);
    status.setConditions(after);
    return true;
  }
}
