package dev.lumen.gcp;

import com.google.protobuf.Timestamp;
import java.time.Instant;

/** Instants as protobuf timestamps and back, nanoseconds included. */
public final class ProtoTime {
  private ProtoTime() {}

  public static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  public static Instant instant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }
}
