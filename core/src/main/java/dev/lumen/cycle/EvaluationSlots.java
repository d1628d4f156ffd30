package dev.lumen.cycle;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.zip.CRC32;

/**
 * When a resource's periodic evaluation comes round: each resource has its own offset within its
 * interval, derived from its uid, so a thousand resources with a one-minute interval are spread
 * over the minute instead of hitting the Google APIs in the same second. After a restart, when
 * every resource is reconciled at once, the next evaluation of each falls back into its slot; the
 * offset survives restarts and fail-overs because the uid does.
 */
public final class EvaluationSlots {
  private EvaluationSlots() {}

  /**
   * The wait from {@code now} to the resource's next slot: more than zero and at most {@code
   * interval}.
   */
  public static Duration untilNext(String uid, Duration interval, Instant now) {
    long period = Math.max(1, interval.toMillis());
    long offset = Math.floorMod(hash(uid), period);
    long sinceSlot = Math.floorMod(now.toEpochMilli() - offset, period);
    return Duration.ofMillis(period - sinceSlot);
  }

  /** Stable across JVMs, unlike String.hashCode's promise. */
  private static long hash(String uid) {
    var crc = new CRC32();
    crc.update((uid == null ? "" : uid).getBytes(StandardCharsets.UTF_8));
    return crc.getValue();
  }
}
