package dev.lumen.engine.measure;

/**
 * Requests over a window, by outcome.
 *
 * @param total all requests
 * @param clientErrors responses with a 4xx status
 * @param serverErrors responses with a 5xx status
 */
public record RequestCounts(long total, long clientErrors, long serverErrors) {
  public static final RequestCounts NONE = new RequestCounts(0, 0, 0);

  public RequestCounts {
    if (total < 0 || clientErrors < 0 || serverErrors < 0 || clientErrors + serverErrors > total) {
      throw new IllegalArgumentException(
          "inconsistent counts: total "
              + total
              + ", 4xx "
              + clientErrors
              + ", 5xx "
              + serverErrors);
    }
  }

  /** Requests that failed in the sense of the error rate: 4xx and 5xx. */
  public long errors() {
    return clientErrors + serverErrors;
  }

  /** Requests that count as available: everything but 5xx. */
  public long available() {
    return total - serverErrors;
  }

  public RequestCounts plus(RequestCounts other) {
    return new RequestCounts(
        total + other.total, clientErrors + other.clientErrors, serverErrors + other.serverErrors);
  }
}
