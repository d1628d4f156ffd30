package dev.lumen.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lumen.ports.CloudRunServices;
import dev.lumen.ports.CloudRunServicesContract;
import dev.lumen.ports.FakeCloudRun;
import dev.lumen.ports.PortException;
import dev.lumen.testkit.google.CloudRunGrpcFake;
import io.grpc.Status;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The google-cloud-run client over real gRPC against the loopback fake. */
class CloudRunAdminServicesTest extends CloudRunServicesContract {
  final FakeCloudRun state = new FakeCloudRun();
  final CloudRunGrpcFake google = new CloudRunGrpcFake(state);
  // The production deadline: a loaded machine may take a while over the first connection.
  final CloudRunAdminServices adapter =
      new CloudRunAdminServices(
          GoogleClientConfig.loopback(google.endpoint()).withDeadline(Duration.ofSeconds(5)));
  final CloudRunAdminServices impatient =
      new CloudRunAdminServices(
          GoogleClientConfig.loopback(google.endpoint()).withDeadline(Duration.ofMillis(400)));

  @AfterEach
  void close() {
    adapter.close();
    impatient.close();
    google.close();
  }

  @Override
  protected FakeCloudRun state() {
    return state;
  }

  @Override
  protected CloudRunServices port() {
    return adapter;
  }

  @Test
  void anEtagConflictIsReReadAndEndsInTheIntendedSplitSetOnce() {
    int before = state.writes();
    google.conflictOnNextUpdate();

    adapter.setTraffic(WEB, Map.of("web-001", 95, "web-002", 5), Map.of());

    assertThat(state.find(WEB.resourceName()).orElseThrow().traffic())
        .isEqualTo(Map.of("web-001", 95, "web-002", 5));
    assertThat(state.writes() - before).isEqualTo(1);
    assertThat(google.faults().calls("UpdateService")).isEqualTo(2);
    assertThat(google.faults().calls("GetService")).isEqualTo(2);
  }

  @Test
  void aFailedOperationIsReportedAndNothingOfItIsApplied() {
    int before = state.writes();
    google.failNextOperation(Status.Code.INTERNAL);

    assertThatThrownBy(
            () -> adapter.setTraffic(WEB, Map.of("web-001", 50, "web-002", 50), Map.of()))
        .isInstanceOf(PortException.class)
        .hasMessageContaining("update traffic");
    assertThat(state.find(WEB.resourceName()).orElseThrow().traffic())
        .isEqualTo(Map.of("web-001", 100));
    assertThat(state.writes()).isEqualTo(before);

    adapter.setTraffic(WEB, Map.of("web-001", 50, "web-002", 50), Map.of());
    assertThat(state.find(WEB.resourceName()).orElseThrow().traffic())
        .isEqualTo(Map.of("web-001", 50, "web-002", 50));
  }

  @Test
  void unavailableIsRetriedOnceAndThenSucceeds() {
    google.faults().failNext("GetService", Status.Code.UNAVAILABLE, 1);

    assertThat(adapter.get(WEB).latestReadyRevision()).isEqualTo("web-002");
    assertThat(google.faults().calls("GetService")).isEqualTo(2);
  }

  @Test
  void persistentFailuresSurfaceTypedAfterBoundedRetries() {
    google.faults().failNext("GetService", Status.Code.RESOURCE_EXHAUSTED, 2);
    assertThatThrownBy(() -> adapter.get(WEB))
        .isInstanceOf(PortException.class)
        .matches(e -> ((PortException) e).isTransient());
    assertThat(google.faults().calls("GetService")).isEqualTo(2);

    google.faults().resetCounts();
    google.faults().failNext("GetService", Status.Code.PERMISSION_DENIED, 1);
    assertThatThrownBy(() -> adapter.get(WEB))
        .isInstanceOf(PortException.class)
        .matches(e -> !((PortException) e).isTransient());
    assertThat(google.faults().calls("GetService")).as("permanent: not retried").isEqualTo(1);
  }

  @Test
  void aCallSlowerThanItsDeadlineIsATransientFailure() {
    google.faults().delay("GetService", Duration.ofMillis(1500));

    long started = System.nanoTime();
    assertThatThrownBy(() -> impatient.get(WEB))
        .isInstanceOf(PortException.class)
        .matches(e -> ((PortException) e).isTransient());
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1400));
  }

  @Test
  void listsEveryRevisionAcrossPages() {
    for (int i = 3; i <= 150; i++) {
      state.deploy(WEB, String.format("web-%03d", i), T0.plusSeconds(3600L * i));
    }

    assertThat(adapter.revisions(WEB)).hasSize(150);
    assertThat(google.faults().calls("ListRevisions")).isGreaterThan(1);
  }
}
