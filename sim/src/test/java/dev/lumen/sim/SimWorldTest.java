package dev.lumen.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.clock.VirtualClock;
import dev.lumen.engine.measure.RequestCounts;
import dev.lumen.ports.FakeCloudRun;
import dev.lumen.ports.FakeMetrics;
import dev.lumen.ports.MetricSource;
import dev.lumen.ports.MetricSource.MetricKind;
import dev.lumen.ports.PortException;
import dev.lumen.testkit.world.SimWorld;
import dev.lumen.testkit.world.SimWorld.Behaviour;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The simulated world: repeatable minutes, a daily shape, and happenings on a schedule. */
class SimWorldTest {
  static final Instant MIDNIGHT = Instant.parse("2026-03-02T00:00:00Z");
  static final CloudRunServiceReference WEB =
      new CloudRunServiceReference("sim-project", "europe-west1", "web");

  FakeCloudRun cloudRun = new FakeCloudRun();
  FakeMetrics metrics = new FakeMetrics();

  SimWorld world(long seed) {
    var world = new SimWorld(cloudRun, metrics, seed, MIDNIGHT);
    world.addService(WEB, "web-00001", 600, MIDNIGHT.minus(Duration.ofDays(1)));
    return world;
  }

  @Test
  void theSameSeedGivesTheSameMinutes() {
    var first = world(7);
    first.advanceTo(MIDNIGHT.plus(Duration.ofHours(1)));
    List<FakeMetrics.Point> once = metrics.all();

    cloudRun = new FakeCloudRun();
    metrics = new FakeMetrics();
    world(7).advanceTo(MIDNIGHT.plus(Duration.ofHours(1)));

    assertThat(once).hasSize(60);
    assertThat(metrics.all()).usingRecursiveFieldByFieldElementComparator().isEqualTo(once);
  }

  @Test
  void theDailyShapePeaksInTheAfternoon() {
    var world = world(1);
    world.shapeDaily(WEB, 0.5);
    world.advanceTo(MIDNIGHT.plus(Duration.ofDays(1)));

    long night =
        requests(Instant.parse("2026-03-02T01:30:00Z"), Instant.parse("2026-03-02T02:30:00Z"));
    long afternoon =
        requests(Instant.parse("2026-03-02T13:30:00Z"), Instant.parse("2026-03-02T14:30:00Z"));
    // 600 x (1 + 0.5 cos(...)): about 900 a minute at 14:00, about 300 at 02:00.
    assertThat(afternoon / 60.0).isBetween(880.0, 920.0);
    assertThat(night / 60.0).isBetween(295.0, 310.0);
    assertThatThrownBy(() -> world.shapeDaily(WEB, 1.5))
        .hasMessageContaining("dailySwing must lie within 0..1");
  }

  @Test
  void aRegressionOnTheScheduleChangesTheMinutesAfterIt() {
    var world = world(3);
    world.at(
        MIDNIGHT.plus(Duration.ofMinutes(30)),
        "web-00001 fails",
        () -> world.behave(WEB, "web-00001", new Behaviour(0.2, 80, 0.02)));
    world.advanceTo(MIDNIGHT.plus(Duration.ofHours(1)));

    RequestCounts before = counts(MIDNIGHT, MIDNIGHT.plus(Duration.ofMinutes(30)));
    RequestCounts after =
        counts(MIDNIGHT.plus(Duration.ofMinutes(30)), MIDNIGHT.plus(Duration.ofHours(1)));
    assertThat((double) before.serverErrors() / before.total()).isLessThan(0.005);
    assertThat((double) after.serverErrors() / after.total()).isBetween(0.18, 0.22);
    assertThat(world.happened()).containsExactly("2026-03-02T00:30:00Z web-00001 fails");
  }

  @Test
  void monitoringOutagesAndTrafficEditsHappenOnTime() {
    var clock = new VirtualClock(MIDNIGHT);
    try (var google = new SimulatedGoogle(clock, 5, Duration.ofHours(1))) {
      google.world().addService(WEB, "web-00001", 600, MIDNIGHT.minus(Duration.ofDays(1)));
      google.cloudRun().deploy(WEB, "web-00002", MIDNIGHT);
      google
          .world()
          .monitoringOutage(
              MIDNIGHT.plus(Duration.ofMinutes(10)), MIDNIGHT.plus(Duration.ofMinutes(20)));
      google
          .world()
          .trafficEditOutsideLumen(
              WEB, Map.of("web-00001", 50, "web-00002", 50), MIDNIGHT.plus(Duration.ofMinutes(15)));
      MetricSource monitoring = google.monitoringClient(Duration.ofSeconds(2));
      var request =
          new MetricSource.MetricRequest(
              "sim-project",
              Set.of("web"),
              MIDNIGHT,
              MIDNIGHT.plus(Duration.ofMinutes(5)),
              Set.of(MetricKind.REQUESTS));

      google.world().advanceTo(MIDNIGHT.plus(Duration.ofMinutes(12)));
      assertThatThrownBy(() -> monitoring.read(request))
          .isInstanceOfSatisfying(PortException.class, e -> assertThat(e.isTransient()).isTrue());

      google.world().advanceTo(MIDNIGHT.plus(Duration.ofMinutes(21)));
      assertThat(monitoring.read(request)).isNotEmpty();
      assertThat(google.cloudRun().find(WEB.resourceName()).orElseThrow().traffic())
          .isEqualTo(Map.of("web-00001", 50, "web-00002", 50));
      assertThat(google.world().happened())
          .satisfiesExactly(
              h -> assertThat(h).isEqualTo("2026-03-02T00:10:00Z Cloud Monitoring outage begins"),
              h -> assertThat(h).startsWith("2026-03-02T00:15:00Z traffic of web set to"),
              h -> assertThat(h).isEqualTo("2026-03-02T00:20:00Z Cloud Monitoring outage ends"));
      monitoring.close();
    }
  }

  long requests(Instant from, Instant to) {
    return counts(from, to).total();
  }

  RequestCounts counts(Instant from, Instant to) {
    long total = 0;
    long errors = 0;
    for (var p : metrics.all()) {
      if (!p.time().isBefore(from) && p.time().isBefore(to)) {
        total += p.requests().total();
        errors += p.requests().serverErrors();
      }
    }
    return new RequestCounts(total, 0, errors);
  }
}
