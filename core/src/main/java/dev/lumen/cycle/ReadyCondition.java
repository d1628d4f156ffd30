package dev.lumen.cycle;

import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.ObservedStatus;
import dev.lumen.engine.ConditionList;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/** Writes the Ready condition and observedGeneration of a resource's status. */
final class ReadyCondition {
  private ReadyCondition() {}

  /**
   * Updates {@code status} for the resource's {@code generation} from its readiness.
   *
   * @return whether anything changed, i.e. whether the status needs to be written
   */
  static boolean update(ObservedStatus status, long generation, Readiness readiness, Instant now) {
    var before = status.getConditions();
    var after =
        ConditionList.set(
            before,
            Conditions.READY,
            readiness.status(),
            readiness.reason(),
            readiness.message(),
            generation,
            now);
    if (after.equals(before) && Objects.equals(status.getObservedGeneration(), generation)) {
      return false;
    }
    status.setObservedGeneration(generation);
    status.setConditions(after);
    return true;
  }

  /**
   * Writes {@code readiness} over a copy of the stored status (or a new one), when it changes it.
   *
   * @return the status as stored afterwards
   */
  static <S extends ObservedStatus> S write(
      StatusStore<S> store, Supplier<S> empty, long generation, Readiness readiness, Instant now) {
    S current = store.current();
    S next = current == null ? empty.get() : StatusCopies.copy(current);
    return update(next, generation, readiness, now) || current == null
        ? store.write(next)
        : current;
  }
}
