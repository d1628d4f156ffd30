package dev.lumen.cycle;

/**
 * A status kept in memory, for a loop that has no API server: the backtest's. It holds a copy of
 * what was written, as an API server would.
 */
public class HeldStatus<S> implements StatusStore<S> {
  private S status;
  private int writes;

  public HeldStatus(S initial) {
    this.status = initial;
  }

  @Override
  public S current() {
    return status;
  }

  @Override
  public S write(S next) {
    status = StatusCopies.copy(next);
    writes++;
    return status;
  }

  /** How many times the status was written. */
  public int writes() {
    return writes;
  }
}
