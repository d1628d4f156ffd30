package dev.lumen.gcp;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import dev.lumen.ports.PortException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** Turns Google client failures into typed port failures. */
final class GrpcErrors {
  static final Set<StatusCode.Code> TRANSIENT =
      Set.of(
          StatusCode.Code.UNAVAILABLE,
          StatusCode.Code.DEADLINE_EXCEEDED,
          StatusCode.Code.RESOURCE_EXHAUSTED,
          StatusCode.Code.ABORTED,
          StatusCode.Code.INTERNAL,
          StatusCode.Code.CANCELLED);

  private GrpcErrors() {}

  static PortException translate(String what, Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof ApiException api) {
      StatusCode.Code code = api.getStatusCode().getCode();
      String message = what + ": " + code + " " + api.getMessage();
      return TRANSIENT.contains(code)
          ? PortException.transientFailure(message, api)
          : PortException.permanentFailure(message, api);
    }
    if (cause instanceof TimeoutException) {
      return PortException.transientFailure(what + ": no answer within the deadline", cause);
    }
    return PortException.transientFailure(what + ": " + cause, cause);
  }

  static boolean isConflict(Throwable failure) {
    return unwrap(failure) instanceof ApiException api
        && (api.getStatusCode().getCode() == StatusCode.Code.ABORTED
            || api.getStatusCode().getCode() == StatusCode.Code.FAILED_PRECONDITION);
  }

  /** The failure itself, from inside the future wrappers of asynchronous calls. */
  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof ExecutionException || cause instanceof CompletionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
