package dev.lumen.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lumen.ports.FakeMetrics;
import dev.lumen.ports.MetricSource;
import dev.lumen.ports.PortException;
import dev.lumen.ports.PromqlContract;
import dev.lumen.tenancy.Caller;
import dev.lumen.testkit.google.IamCredentialsFake;
import dev.lumen.testkit.google.MonitoringGrpcFake;
import dev.lumen.testkit.google.MonitoringPromqlFake;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * PromQL objectives through Cloud Monitoring's Prometheus-compatible query API: the Monitoring
 * adapter's query client over real HTTP against the loopback fake of that API.
 */
class CloudMonitoringPromqlTest extends PromqlContract {
  static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
  static final Duration DEADLINE = Duration.ofSeconds(2);

  final FakeMetrics state = new FakeMetrics();
  final MonitoringGrpcFake grpc = new MonitoringGrpcFake(state);
  final MonitoringPromqlFake http = new MonitoringPromqlFake(state);
  final CloudMonitoringMetricSource adapter = adapter(http.endpoint(), GoogleIdentities.none());

  CloudMonitoringPromqlTest() {
    for (int s = 120; s >= 0; s -= 10) {
      state.record(
          new FakeMetrics.PromqlPoint(
              "shop", "avg(ion_phase_diff)", Map.of(), NOW.minusSeconds(s), 0.42));
      for (String code : new String[] {"200", "500"}) {
        state.record(
            new FakeMetrics.PromqlPoint(
                "shop", "ion_requests", Map.of("code", code), NOW.minusSeconds(s), 10));
      }
    }
    state.failPromql(
        "sum(",
        PortException.permanentFailure(
            "invalid parameter \"query\": 1:5: parse error: unclosed left parenthesis", null));
  }

  private CloudMonitoringMetricSource adapter(URI httpEndpoint, GoogleIdentities identities) {
    return new CloudMonitoringMetricSource(
        GoogleClientConfig.loopback(grpc.endpoint())
            .withDeadline(DEADLINE)
            .withHttpEndpoint(httpEndpoint),
        identities);
  }

  @AfterEach
  void close() {
    adapter.close();
    grpc.close();
    http.close();
  }

  @Override
  protected Instant now() {
    return NOW;
  }

  @Override
  protected MetricSource port() {
    return adapter;
  }

  @Override
  protected String singleSeriesQuery() {
    return "avg(ion_phase_diff)";
  }

  @Override
  protected double singleSeriesValue() {
    return 0.42;
  }

  @Override
  protected String multiSeriesQuery() {
    return "ion_requests";
  }

  @Override
  protected String malformedQuery() {
    return "sum(";
  }

  @Override
  protected MetricSource unreachable() {
    try (var socket = new ServerSocket(0)) {
      return adapter(
          URI.create("http://127.0.0.1:" + socket.getLocalPort()), GoogleIdentities.none());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aProjectTheIdentityMayNotReadIsAPermanentFailureThatNamesTheRole() {
    http.deny("shop");

    assertThatThrownBy(
            () ->
                adapter.promqlSeries(
                    "shop", singleSeriesQuery(), NOW.minusSeconds(60), NOW, Duration.ofMinutes(1)))
        .isInstanceOfSatisfying(PortException.class, e -> assertThat(e.isTransient()).isFalse())
        .hasMessageContaining("HTTP 403: Permission monitoring.timeSeries.list denied")
        .hasMessageContaining("roles/monitoring.viewer")
        .hasMessageContaining("project shop");
  }

  @Test
  void anOutageIsTransient() {
    http.available(false);

    assertThatThrownBy(
            () ->
                adapter.promqlSeries(
                    "shop", singleSeriesQuery(), NOW.minusSeconds(60), NOW, Duration.ofMinutes(1)))
        .isInstanceOfSatisfying(PortException.class, e -> assertThat(e.isTransient()).isTrue());
  }

  @Test
  void aCallForABoundNamespaceCarriesTheTokenOfItsServiceAccount() {
    String account = "lumen-team-a@platform.iam.gserviceaccount.com";
    try (var iam = new IamCredentialsFake(GoogleIdentities.LOOPBACK_OPERATOR_TOKEN);
        var bound = adapter(http.endpoint(), GoogleIdentities.loopback(iam.endpoint()))) {
      iam.grant(account);

      var samples =
          Caller.runAs(
              new Caller("team-a", Optional.of(account)),
              () ->
                  bound.promqlSeries(
                      "shop",
                      singleSeriesQuery(),
                      NOW.minusSeconds(60),
                      NOW,
                      Duration.ofSeconds(30)));

      assertThat(samples).extracting(s -> s.value()).containsOnly(0.42);
      assertThat(http.bearersByProject().get("shop"))
          .singleElement()
          .satisfies(token -> assertThat(iam.principalOf(token)).contains(account));
    }
  }

  @Test
  void withAPlaintextGrpcEndpointAndNoHttpOneAPromqlObjectiveSaysWhatToGive() {
    try (var grpcOnly =
        new CloudMonitoringMetricSource(
            GoogleClientConfig.loopback(grpc.endpoint()).withDeadline(DEADLINE))) {
      assertThatThrownBy(
              () ->
                  grpcOnly.promqlSeries(
                      "shop",
                      singleSeriesQuery(),
                      NOW.minusSeconds(60),
                      NOW,
                      Duration.ofMinutes(1)))
          .hasMessageContaining("--monitoring-http-endpoint");
      assertThat(http.bearersByProject()).isEmpty();
    }
  }

  @Test
  void anUnboundCallOverPlaintextCarriesNoCredentials() {
    adapter.promqlSeries(
        "shop", singleSeriesQuery(), NOW.minusSeconds(60), NOW, Duration.ofMinutes(1));

    assertThat(http.bearersByProject()).containsExactly(Map.entry("shop", Set.of("")));
  }
}
