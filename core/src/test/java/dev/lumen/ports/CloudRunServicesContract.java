package dev.lumen.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every CloudRunServices must do; run against the fake and the real client over gRPC. */
public abstract class CloudRunServicesContract {
  protected static final CloudRunServiceReference WEB =
      new CloudRunServiceReference("my-project", "us-central1", "web");
  protected static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

  /** The state behind the port under test. */
  protected abstract FakeCloudRun state();

  protected abstract CloudRunServices port();

  @BeforeEach
  void createService() {
    state().create(WEB, "web-001", T0);
    state().deploy(WEB, "web-002", T0.plusSeconds(3600));
  }

  @Test
  void readsTheLatestReadyRevisionTrafficAndScaling() {
    var service = port().get(WEB);

    assertThat(service.latestReadyRevision()).isEqualTo("web-002");
    assertThat(service.traffic()).isEqualTo(Map.of("web-001", 100));
    assertThat(service.minInstances()).isEqualTo(Optional.of(0));
    assertThat(service.etag()).isNotBlank();
  }

  @Test
  void listsRevisionsOldestFirstWithCreationTimes() {
    assertThat(port().revisions(WEB))
        .containsExactly(
            new CloudRunServices.RevisionInfo("web-001", T0, true),
            new CloudRunServices.RevisionInfo("web-002", T0.plusSeconds(3600), true));
  }

  @Test
  void tellsWhatIsServedApartFromWhatIsConfigured() {
    port().setTraffic(WEB, Map.of("web-001", 50, "web-002", 50), Map.of());
    assertThat(port().get(WEB).serving()).isEqualTo(Map.of("web-001", 50, "web-002", 50));
    assertThat(port().get(WEB).terminalFailure()).isEmpty();

    state().failToServeTrafficChanges(WEB, "revision web-001 is not ready");
    port().setTraffic(WEB, Map.of("web-001", 100), Map.of());

    var service = port().get(WEB);
    assertThat(service.traffic()).isEqualTo(Map.of("web-001", 100));
    assertThat(service.serving()).isEqualTo(Map.of("web-001", 50, "web-002", 50));
    assertThat(service.terminalFailure()).contains("revision web-001 is not ready");
  }

  @Test
  void setsASplitWithTagsAndDoesNotWriteWhatAlreadyHolds() {
    int before = state().writes();
    Map<String, String> tags = Map.of("web-001", "stable", "web-002", "canary");

    port().setTraffic(WEB, Map.of("web-001", 90, "web-002", 10), tags);
    port().setTraffic(WEB, Map.of("web-001", 90, "web-002", 10), tags);

    var service = port().get(WEB);
    assertThat(service.traffic()).isEqualTo(Map.of("web-001", 90, "web-002", 10));
    assertThat(service.tags()).isEqualTo(tags);
    assertThat(state().writes() - before).isEqualTo(1);
  }

  @Test
  void aTaggedRevisionWithoutTrafficKeepsItsTag() {
    port()
        .setTraffic(WEB, Map.of("web-002", 100), Map.of("web-001", "stable", "web-002", "canary"));

    var service = port().get(WEB);
    assertThat(service.traffic()).isEqualTo(Map.of("web-002", 100));
    assertThat(service.tags()).containsEntry("web-001", "stable");
  }

  @Test
  void setsMinInstancesWithoutCreatingARevision() {
    int before = state().writes();

    port().setMinInstances(WEB, 2);
    port().setMinInstances(WEB, 2);

    assertThat(port().get(WEB).minInstances()).contains(2);
    assertThat(port().revisions(WEB)).hasSize(2);
    assertThat(state().writes() - before).isEqualTo(1);
  }

  @Test
  void anUnknownServiceOrRevisionIsAPermanentFailure() {
    var missing = new CloudRunServiceReference("my-project", "us-central1", "nope");

    assertThatThrownBy(() -> port().get(missing))
        .isInstanceOf(PortException.class)
        .matches(e -> !((PortException) e).isTransient());
    assertThatThrownBy(() -> port().setTraffic(WEB, Map.of("web-009", 100), Map.of()))
        .isInstanceOf(PortException.class)
        .matches(e -> !((PortException) e).isTransient());
    assertThat(port().get(WEB).traffic()).isEqualTo(Map.of("web-001", 100));
  }

  @Test
  void listsALocationsServicesExactlyAsEachIsRead() {
    var api = new CloudRunServiceReference("my-project", "us-central1", "api");
    state().create(api, "api-001", T0);
    port().setTraffic(WEB, Map.of("web-001", 90, "web-002", 10), Map.of("web-002", "canary"));
    port().setMinInstances(api, 3);
    state().create(new CloudRunServiceReference("my-project", "europe-west1", "web"), "w-1", T0);
    state().create(new CloudRunServiceReference("other-project", "us-central1", "web"), "w-1", T0);

    var listed = port().list("my-project", "us-central1");

    assertThat(listed).containsOnlyKeys("api", "web");
    assertThat(listed.get("web")).isEqualTo(port().get(WEB));
    assertThat(listed.get("api")).isEqualTo(port().get(api));
    assertThat(port().list("empty-project", "us-central1")).isEmpty();
  }

  @Test
  void listsEveryPageOfALargeLocation() {
    int services = CloudRunServices.LIST_PAGE_SIZE + 2;
    for (int i = 0; i < services - 1; i++) {
      state()
          .create(new CloudRunServiceReference("my-project", "us-central1", "svc-" + i), "r-1", T0);
    }

    var listed = port().list("my-project", "us-central1");

    assertThat(listed).hasSize(services).containsKey("web").containsKey("svc-" + (services - 2));
  }
}
