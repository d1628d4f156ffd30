package dev.lumen.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.ports.CloudRunServices;
import dev.lumen.ports.FakeCloudRun;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RevisionListsTest {
  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  static final CloudRunServiceReference REF =
      new CloudRunServiceReference("shop-prod", "europe-west1", "checkout");

  final FakeCloudRun cloudRun = new FakeCloudRun();
  final AtomicInteger listings = new AtomicInteger();
  final RevisionLists lists = new RevisionLists();

  List<CloudRunServices.RevisionInfo> list(Instant now) {
    var counting = new FakeCloudRunCounting(cloudRun, listings);
    return lists.of(counting, REF, cloudRun.get(REF), now);
  }

  @Test
  void listsAgainOnlyForANewReadyRevisionOrAfterAnHour() {
    cloudRun.create(REF, "checkout-00001", T0.minus(Duration.ofDays(1)));
    list(T0);
    list(T0.plusSeconds(60));
    assertThat(listings).hasValue(1);

    cloudRun.deploy(REF, "checkout-00002", T0.plusSeconds(90));
    assertThat(list(T0.plusSeconds(120)))
        .extracting(CloudRunServices.RevisionInfo::name)
        .contains("checkout-00002");
    assertThat(listings).hasValue(2);

    list(T0.plusSeconds(120).plus(RevisionLists.MAX_AGE));
    assertThat(listings).hasValue(3);
  }

  /** The fake, with its revision listings counted. */
  private record FakeCloudRunCounting(FakeCloudRun fake, AtomicInteger listings)
      implements CloudRunServices {
    @Override
    public ServiceState get(CloudRunServiceReference service) {
      return fake.get(service);
    }

    @Override
    public java.util.Map<String, ServiceState> list(String project, String region) {
      return fake.list(project, region);
    }

    @Override
    public List<RevisionInfo> revisions(CloudRunServiceReference service) {
      listings.incrementAndGet();
      return fake.revisions(service);
    }

    @Override
    public void setTraffic(
        CloudRunServiceReference service,
        java.util.Map<String, Integer> split,
        java.util.Map<String, String> tags) {
      fake.setTraffic(service, split, tags);
    }

    @Override
    public void setMinInstances(CloudRunServiceReference service, int count) {
      fake.setMinInstances(service, count);
    }

    @Override
    public void close() {}
  }
}
