package dev.lumen.gcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.http.HttpResponseException;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import dev.lumen.ports.PortException;
import java.io.IOException;
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

  private static final ObjectMapper JSON = new ObjectMapper();

  private GrpcErrors() {}

  static PortException translate(String what, Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof PortException port) {
      return port;
    }
    if (cause instanceof ApiException api) {
      StatusCode.Code code = api.getStatusCode().getCode();
      String message = what + ": " + code + " " + api.getMessage() + credentialsFailure(api);
      return TRANSIENT.contains(code)
          ? PortException.transientFailure(message, api)
          : PortException.permanentFailure(message, api);
    }
    if (cause instanceof TimeoutException) {
      return PortException.transientFailure(what + ": no answer within the deadline", cause);
    }
    return PortException.transientFailure(what + ": " + cause, cause);
  }

  /**
   * Why the call's credentials could not be had (e.g. IAM refused to impersonate an account), which
   * gRPC keeps as the cause of a bare "Failed computing credential metadata"; empty otherwise.
   */
  private static String credentialsFailure(ApiException api) {
    String found = "";
    for (Throwable cause = api.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof HttpResponseException http) {
        return " (the IAM Credentials API answered "
            + http.getStatusCode()
            + ": "
            + googleErrorMessage(http.getContent())
            + ")";
      }
      if (found.isEmpty() && cause instanceof IOException) {
        found = " (" + cause.getMessage() + ")";
      }
    }
    return found;
  }

  /** The {@code error.message} of a Google JSON error body, or the body itself. */
  private static String googleErrorMessage(String body) {
    try {
      String message = JSON.readTree(body).path("error").path("message").asText("");
      return message.isEmpty() ? body : message;
    } catch (IOException | RuntimeException notJson) {
      return String.valueOf(body);
    }
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
