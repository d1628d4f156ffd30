package dev.lumen.gcp;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.api.gax.retrying.RetrySettings;
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
 * @param endpoint host:port override; when present the channel is plaintext without credentials
 */
public record GoogleClientConfig(
    Optional<String> endpoint, Duration deadline, int retries, Duration operationTimeout) {

  /** Google's endpoints, ADC, 5 s per call, one retry, two minutes per operation. */
  public static GoogleClientConfig production() {
    return new GoogleClientConfig(
        Optional.empty(), Duration.ofSeconds(5), 1, Duration.ofMinutes(2));
  }

  public static GoogleClientConfig loopback(String endpoint) {
    return new GoogleClientConfig(
        Optional.of(endpoint), Duration.ofSeconds(5), 1, Duration.ofSeconds(30));
  }

  public GoogleClientConfig withDeadline(Duration newDeadline) {
    return new GoogleClientConfig(endpoint, newDeadline, retries, operationTimeout);
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
   * Points a client at the endpoint override, over plaintext and without credentials (the loopback
   * fakes); without an override the client keeps Google's endpoint and ADC.
   */
  void connect(
      ClientSettings.Builder<?, ?> settings, InstantiatingGrpcChannelProvider.Builder transport) {
    endpoint.ifPresent(
        e -> {
          settings.setTransportChannelProvider(
              transport
                  .setEndpoint(e)
                  .setChannelConfigurator(ManagedChannelBuilder::usePlaintext)
                  .build());
          settings.setCredentialsProvider(NoCredentialsProvider.create());
        });
  }
}
