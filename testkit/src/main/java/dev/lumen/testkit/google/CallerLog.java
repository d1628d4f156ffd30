package dev.lumen.testkit.google;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who called a loopback fake: the bearer token each call carried (empty when it carried none), by
 * the resource the call named, so a test can tell which identity read or changed what.
 */
public final class CallerLog implements ServerInterceptor {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<String> BEARER = Context.key("lumen-fake-bearer");
  private static final String PREFIX = "Bearer ";

  private final Map<String, Set<String>> byResource = new ConcurrentHashMap<>();

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String authorization = headers.get(AUTHORIZATION);
    String bearer =
        authorization != null && authorization.startsWith(PREFIX)
            ? authorization.substring(PREFIX.length())
            : "";
    return Contexts.interceptCall(Context.current().withValue(BEARER, bearer), call, headers, next);
  }

  /** Notes that the call being served names {@code resource}. */
  void record(String resource) {
    String bearer = BEARER.get();
    byResource
        .computeIfAbsent(resource, r -> ConcurrentHashMap.newKeySet())
        .add(bearer == null ? "" : bearer);
  }

  /** Bearer tokens of the calls that named each resource, by resource name. */
  public Map<String, Set<String>> bearersByResource() {
    return new TreeMap<>(byResource);
  }

  public void clear() {
    byResource.clear();
  }
}
