package dev.lumen.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lumen.ports.FakeMonitoringObjects;
import dev.lumen.ports.MonitoringObjectStore;
import dev.lumen.ports.MonitoringObjectStore.Kind;
import dev.lumen.ports.MonitoringObjectStoreContract;
import dev.lumen.ports.PortException;
import dev.lumen.testkit.google.MonitoringObjectsGrpcFake;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The three Cloud Monitoring configuration clients over real gRPC against the loopback fake. */
class CloudMonitoringObjectStoreTest extends MonitoringObjectStoreContract {
  final FakeMonitoringObjects state = new FakeMonitoringObjects();
  final MonitoringObjectsGrpcFake google = new MonitoringObjectsGrpcFake(state);
  final CloudMonitoringObjectStore adapter =
      new CloudMonitoringObjectStore(
          GoogleClientConfig.loopback(google.endpoint()).withDeadline(Duration.ofSeconds(5)),
          GoogleIdentities.none());

  @AfterEach
  void close() {
    adapter.close();
    google.close();
  }

  @Override
  protected MonitoringObjectStore port() {
    return adapter;
  }

  @Override
  protected void deny(String project) {
    state.deny(project);
  }

  @Test
  void anObjectTheApiWouldRefuseIsAPermanentFailureNamingTheField() {
    String goalTooHigh = SLO.replace("\"goal\":0.995", "\"goal\":0.99999");
    adapter.create(Kind.SERVICE, PROJECT, Optional.of("checkout"), SERVICE);

    assertThatThrownBy(
            () ->
                adapter.create(
                    Kind.SERVICE_LEVEL_OBJECTIVE,
                    PROJECT + "/services/checkout",
                    Optional.of("availability"),
                    goalTooHigh))
        .isInstanceOfSatisfying(PortException.class, e -> assertThat(e.isTransient()).isFalse())
        .hasMessageContaining("INVALID_ARGUMENT")
        .hasMessageContaining("slo.goal");
  }

  @Test
  void aBurnRatePolicyOfAnSloThatDoesNotExistIsRefused() {
    assertThatThrownBy(() -> adapter.create(Kind.ALERT_POLICY, PROJECT, Optional.empty(), POLICY))
        .hasMessageContaining("INVALID_ARGUMENT")
        .hasMessageContaining("names an SLO that does not exist");
  }

  @Test
  void runningOutOfQuotaIsTransient() {
    state.quota(0);

    assertThatThrownBy(() -> adapter.list(Kind.DASHBOARD, PROJECT))
        .isInstanceOfSatisfying(PortException.class, e -> assertThat(e.isTransient()).isTrue())
        .hasMessageContaining("RESOURCE_EXHAUSTED");
  }
}
