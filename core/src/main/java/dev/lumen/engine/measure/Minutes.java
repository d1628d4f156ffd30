package dev.lumen.engine.measure;

import java.time.Duration;
import java.time.Instant;

/** Whole minutes of metric data, from {@code start} to {@code end}. */
public record Minutes(Instant start, Instant end) {
  public Duration length() {
    return Duration.between(start, end);
  }
}
