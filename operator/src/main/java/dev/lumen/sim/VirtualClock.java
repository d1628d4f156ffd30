package dev.lumen.sim;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The time a backtest has reached, for the parts of the operator that ask a clock. */
public final class VirtualClock extends Clock {
  private volatile Instant now;

  public VirtualClock(Instant start) {
    this.now = start;
  }

  public void set(Instant time) {
    now = time;
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the virtual clock is UTC");
  }
}
