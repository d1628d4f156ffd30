package dev.lumen.cycle;

/**
 * Where a resource's status lives: the Kubernetes API server for the operator, a field for the
 * backtest. The loop's memory is its status, so every write is checked against the version read
 * (optimistic concurrency) and the next cycle starts from what was written, never from an older
 * copy.
 *
 * @param <S> the status type
 */
public interface StatusStore<S> {
  /** The status as last read or written; {@code null} for a resource never written. */
  S current();

  /**
   * Replaces the status when {@code next} differs from {@link #current()}.
   *
   * @return the status as stored now
   * @throws Unreachable when the store could not be reached or failed; nothing is known written
   * @throws RuntimeException when the resource changed since it was read; nothing was written
   */
  S write(S next);

  /** The store did not answer, or failed: an outage, not a conflict. */
  final class Unreachable extends RuntimeException {
    public Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
