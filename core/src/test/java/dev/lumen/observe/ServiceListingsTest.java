package dev.lumen.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.clock.VirtualClock;
import dev.lumen.ports.FakeCloudRun;
import dev.lumen.ports.ForwardingCloudRunServices;
import dev.lumen.ports.PortException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServiceListingsTest {
  static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
  static final CloudRunServiceReference WEB = ref("my-project", "us-central1", "web");
  static final CloudRunServiceReference API = ref("my-project", "us-central1", "api");
  static final CloudRunServiceReference ELSEWHERE = ref("my-project", "europe-west1", "web");

  final VirtualClock clock = new VirtualClock(T0);
  final FakeCloudRun fake = new FakeCloudRun();
  final Counting cloudRun = new Counting(fake);
  final ServiceListings listings = new ServiceListings(clock);

  @BeforeEach
  void services() {
    for (var ref : List.of(WEB, API, ELSEWHERE)) {
      fake.create(ref, ref.name() + "-1", T0.minus(Duration.ofDays(1)));
    }
  }

  @Test
  void servicesOfOneLocationShareOneListingUntilItIsTooOld() {
    read("web", WEB);
    read("api", API);
    int getsBefore = cloudRun.gets.get();

    for (int second = 0; second < 40; second += 10) {
      assertThat(read("web", WEB).listed()).isTrue();
      assertThat(read("api", API).listed()).isTrue();
      clock.advance(Duration.ofSeconds(10));
    }

    assertThat(cloudRun.lists).hasValue(1);
    assertThat(cloudRun.gets).hasValue(getsBefore);
    read("web", WEB);
    assertThat(cloudRun.lists).hasValue(2);
  }

  @Test
  void aLoneServiceIsReadOnItsOwn() {
    read("web", WEB);
    var elsewhere = read("other", ELSEWHERE);

    assertThat(elsewhere.listed()).isFalse();
    assertThat(elsewhere.state()).isEqualTo(fake.get(ELSEWHERE));
    assertThat(cloudRun.lists).hasValue(0);
  }

  @Test
  void lumensOwnChangeIsNeverHiddenByAListingReadBeforeIt() {
    read("web", WEB);
    read("api", API);
    clock.advance(Duration.ofSeconds(5));

    fake.setTraffic(WEB, Map.of("web-1", 100), Map.of("web-1", "stable"));
    listings.changed(WEB);

    var web = read("web", WEB);
    assertThat(web.listed()).isFalse();
    assertThat(web.state().tags()).containsEntry("web-1", "stable");
    assertThat(read("api", API).listed()).as("the others keep the listing").isTrue();
    // A listing begun after the change stands for the service again.
    clock.advance(ServiceListings.MAX_AGE);
    var listedAgain = read("web", WEB);
    assertThat(listedAgain.listed()).isTrue();
    assertThat(listedAgain.state().tags()).containsEntry("web-1", "stable");
  }

  @Test
  void aFailedListingIsTriedOncePerMaxAgeAndTheServicesAreReadOnTheirOwnMeanwhile() {
    read("web", WEB);
    cloudRun.failLists.set(true);

    var api = read("api", API);
    var web = read("web", WEB);

    assertThat(api.listed()).isFalse();
    assertThat(web.listed()).isFalse();
    assertThat(web.state()).isEqualTo(fake.get(WEB));
    assertThat(cloudRun.lists).hasValue(1);
    cloudRun.failLists.set(false);
    clock.advance(ServiceListings.MAX_AGE);
    assertThat(read("web", WEB).listed()).isTrue();
  }

  @Test
  void aListingRefusedForGoodIsNotAskedForAgainForAnHour() {
    read("web", WEB);
    cloudRun.refuseLists.set(true);
    read("api", API);

    for (int minute = 0; minute < 59; minute++) {
      clock.advance(Duration.ofMinutes(1));
      assertThat(read("web", WEB).listed()).isFalse();
    }
    assertThat(cloudRun.lists).hasValue(1);
    cloudRun.refuseLists.set(false);
    clock.advance(Duration.ofMinutes(1));
    assertThat(read("web", WEB).listed()).isTrue();
  }

  @Test
  void eachCallerHasItsOwnListings() {
    var teamB = new Counting(fake);
    listings.read("web", cloudRun, WEB);
    listings.read("api", teamB, API);

    assertThat(cloudRun.lists).hasValue(0);
    assertThat(teamB.lists).hasValue(0);
  }

  @Test
  void aForgottenOwnerNoLongerCountsTowardsAListing() {
    read("web", WEB);
    read("api", API);
    listings.forget("api");
    clock.advance(ServiceListings.MAX_AGE);

    assertThat(read("web", WEB).listed()).isFalse();
  }

  ServiceListings.Read read(String owner, CloudRunServiceReference ref) {
    return listings.read(owner, cloudRun, ref);
  }

  static CloudRunServiceReference ref(String project, String region, String name) {
    return new CloudRunServiceReference(project, region, name);
  }

  /** The fake, with its reads counted and its listings failing when told. */
  static final class Counting extends ForwardingCloudRunServices {
    final AtomicInteger gets = new AtomicInteger();
    final AtomicInteger lists = new AtomicInteger();
    final AtomicBoolean failLists = new AtomicBoolean();
    final AtomicBoolean refuseLists = new AtomicBoolean();

    Counting(FakeCloudRun fake) {
      super(fake);
    }

    @Override
    public ServiceState get(CloudRunServiceReference service) {
      gets.incrementAndGet();
      return delegate.get(service);
    }

    @Override
    public Map<String, ServiceState> list(String project, String region) {
      lists.incrementAndGet();
      if (failLists.get()) {
        throw PortException.transientFailure("UNAVAILABLE: listing", null);
      }
      if (refuseLists.get()) {
        throw PortException.permanentFailure(
            "PERMISSION_DENIED: Permission 'run.services.list' denied", null);
      }
      return delegate.list(project, region);
    }
  }
}
