package dev.lumen.ports;

/**
 * A port could not do what was asked. Transient failures (unavailable, timed out, throttled,
 * conflicting) may succeed when tried again; permanent ones (not found, forbidden, invalid) will
 * not until something changes.
 */
public class PortException extends RuntimeException {
  private final boolean transientFailure;

  public PortException(String message, boolean transientFailure, Throwable cause) {
    super(message, cause);
    this.transientFailure = transientFailure;
  }

  public static PortException transientFailure(String message, Throwable cause) {
    return new PortException(message, true, cause);
  }

  public static PortException permanentFailure(String message, Throwable cause) {
    return new PortException(message, false, cause);
  }

  public boolean isTransient() {
    return transientFailure;
  }
}
