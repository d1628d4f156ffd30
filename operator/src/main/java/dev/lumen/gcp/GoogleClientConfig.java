package dev.lumen.gcp;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcCallContext;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.ApiCallContext;
import com.google.api.gax.rpc.ClientSettings;
import com.google.api.gax.rpc.StatusCode;
import com.google.api.gax.rpc.UnaryCallSettings;
import io.grpc.ManagedChannelBuilder;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * How Lumen's Google clients connect: the endpoint (default: Google's; a loopback fake in tests and
 * the demo), credentials (Application Default Credentials, i.e. Workload Identity in GKE), the
 * deadline of every call, how many times a transient failure is retried, and how long a
 * long-running operation may take.
 *
 * @param endpoint host:port override, e.g. a regional or Private Service Connect endpoint
 * @param plaintext whether the override is reached without TLS and without credentials: a loopback
 *     fake, emulator or proxy
 * @param httpEndpoint where the service's HTTP API is, for what has no gRPC method (Cloud
 *     Monitoring's PromQL), when not at the gRPC endpoint's host over HTTPS
 */
public record GoogleClientConfig(
    Optional<String> endpoint,
    boolean plaintext,
    Duration deadline,
    int retries,
    Duration operationTimeout,
    Optional<java.net.URI> httpEndpoint) {

  /** Google's endpoints, ADC, 5 s per call, one retry, two minutes per operation. */
  public static GoogleClientConfig production() {
    return new GoogleClientConfig(
        Optional.empty(), false, Duration.ofSeconds(5), 1, Duration.ofMinutes(2), Optional.empty());
  }

  /** A loopback endpoint over plaintext without credentials, operations bounded at 30 s. */
  public static GoogleClientConfig loopback(String endpoint) {
    return new GoogleClientConfig(
        Optional.of(endpoint),
        true,
        Duration.ofSeconds(5),
        1,
        Duration.ofSeconds(30),
        Optional.empty());
  }

  /** Another endpoint than Google's default, over TLS with Application Default Credentials. */
  public GoogleClientConfig withEndpoint(String hostAndPort) {
    return new GoogleClientConfig(
        Optional.of(hostAndPort), false, deadline, retries, operationTimeout, httpEndpoint);
  }

  public GoogleClientConfig withDeadline(Duration newDeadline) {
    return new GoogleClientConfig(
        endpoint, plaintext, newDeadline, retries, operationTimeout, httpEndpoint);
  }

  /** The service's HTTP API at {@code url} (scheme, host and port), e.g. a loopback fake's. */
  public GoogleClientConfig withHttpEndpoint(java.net.URI url) {
    return new GoogleClientConfig(
        endpoint, plaintext, deadline, retries, operationTimeout, Optional.of(url));
  }

  /**
   * Where the service's HTTP API is: the override; else the host of a TLS endpoint override, else
   * Google's {@code defaultHost}, over HTTPS; none for a plaintext gRPC endpoint without an HTTP
   * one (a loopback fake serves gRPC only).
   */
  Optional<java.net.URI> httpBase(String defaultHost) {
    if (httpEndpoint.isPresent()) {
      return httpEndpoint;
    }
    if (plaintext) {
      return Optional.empty();
    }
    return Optional.of(java.net.URI.create("https://" + endpoint.orElse(defaultHost)));
  }

  /**
   * The context of a call made now: the identity the current caller's binding names, or null for
   * the client's own credentials.
   */
  ApiCallContext callContext(GoogleIdentities identities) {
    return identities
        .forCurrentCaller()
        .<ApiCallContext>map(
            credentials ->
                GrpcCallContext.createDefault()
                    .withCredentials(
                        plaintext ? GoogleIdentities.overPlaintext(credentials) : credentials))
        .orElse(null);
  }

  /** Codes worth another try; anything else is final. */
  static final Set<StatusCode.Code> RETRYABLE =
      Set.of(
          StatusCode.Code.UNAVAILABLE,
          StatusCode.Code.DEADLINE_EXCEEDED,
          StatusCode.Code.RESOURCE_EXHAUSTED);

  /** Every unary call: a deadline per attempt and in total, bounded retries with backoff. */
  RetrySettings retrySettings() {
    return RetrySettings.newBuilder()
        .setInitialRpcTimeoutDuration(deadline)
        .setMaxRpcTimeoutDuration(deadline)
        .setTotalTimeoutDuration(
            deadline.multipliedBy(retries + 1).plus(Duration.ofMillis(200L * retries)))
        .setInitialRetryDelayDuration(Duration.ofMillis(100))
        .setRetryDelayMultiplier(2)
        .setMaxRetryDelayDuration(Duration.ofSeconds(1))
        .setMaxAttempts(retries + 1)
        .build();
  }

  Void applyTo(UnaryCallSettings.Builder<?, ?> call) {
    call.setRetrySettings(retrySettings()).setRetryableCodes(RETRYABLE);
    return null;
  }

  /** Polling of a long-running operation, bounded by {@link #operationTimeout}. */
  RetrySettings pollingSettings() {
    return RetrySettings.newBuilder()
        .setInitialRetryDelayDuration(Duration.ofMillis(500))
        .setRetryDelayMultiplier(1.5)
        .setMaxRetryDelayDuration(Duration.ofSeconds(5))
        .setInitialRpcTimeoutDuration(Duration.ZERO)
        .setRpcTimeoutMultiplier(1)
        .setMaxRpcTimeoutDuration(Duration.ZERO)
        .setTotalTimeoutDuration(operationTimeout)
        .build();
  }

  /**
   * Points a client at the endpoint override: over TLS with ADC, or over plaintext without
   * credentials for a loopback fake; without an override the client keeps Google's endpoint and
   * ADC.
   */
  void connect(
      ClientSettings.Builder<?, ?> settings, InstantiatingGrpcChannelProvider.Builder transport) {
    endpoint.ifPresent(
        e -> {
          if (plaintext) {
            settings.setTransportChannelProvider(
                transport
                    .setEndpoint(e)
                    .setChannelConfigurator(ManagedChannelBuilder::usePlaintext)
                    .build());
            settings.setCredentialsProvider(NoCredentialsProvider.create());
          } else {
            settings.setTransportChannelProvider(transport.setEndpoint(e).build());
          }
        });
  }
}
