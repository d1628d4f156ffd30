package dev.lumen.act;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.act.MonitoringObjectsSync.Desired;
import dev.lumen.ports.FakeMonitoringObjects;
import dev.lumen.ports.MonitoringObjectStore.Kind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MonitoringObjectsSyncTest {
  static final String PROJECT = "projects/shop-prod";
  static final String SERVICE = PROJECT + "/services/lumen-shop-checkout";
  static final Map<String, String> OURS =
      Map.of("managed-by", "lumen", "lumen-slotarget", "checkout");
  static final Map<Kind, List<String>> SCOPE =
      Map.of(
          Kind.SERVICE, List.of(PROJECT),
          Kind.SERVICE_LEVEL_OBJECTIVE, List.of(SERVICE),
          Kind.ALERT_POLICY, List.of(PROJECT),
          Kind.DASHBOARD, List.of(PROJECT));

  final FakeMonitoringObjects store = new FakeMonitoringObjects();
  final MonitoringObjectsSync sync = new MonitoringObjectsSync(store, OURS);

  static String labels(Map<String, String> extra) {
    var all = new java.util.TreeMap<>(OURS);
    all.putAll(extra);
    StringBuilder json = new StringBuilder("{");
    all.forEach(
        (k, v) ->
            json.append(json.length() > 1 ? "," : "")
                .append('"')
                .append(k)
                .append("\":\"")
                .append(v)
                .append('"'));
    return json.append('}').toString();
  }

  static List<Desired> desired(double factor, boolean withLatency) {
    var objects = new java.util.ArrayList<Desired>();
    objects.add(
        new Desired(
            Kind.SERVICE,
            PROJECT,
            Optional.of("lumen-shop-checkout"),
            Map.of(),
            "{\"displayName\":\"checkout\",\"userLabels\":" + labels(Map.of()) + "}"));
    for (String objective :
        withLatency ? List.of("availability", "latency") : List.of("availability")) {
      objects.add(
          new Desired(
              Kind.SERVICE_LEVEL_OBJECTIVE,
              SERVICE,
              Optional.of(objective),
              Map.of(),
              "{\"goal\":0.99,\"userLabels\":" + labels(Map.of()) + "}"));
      objects.add(
          new Desired(
              Kind.ALERT_POLICY,
              PROJECT,
              Optional.empty(),
              Map.of("lumen-objective", objective),
              "{\"displayName\":\"burn of "
                  + objective
                  + "\",\"conditions\":[{\"conditionThreshold\":{\"thresholdValue\":"
                  + factor
                  + "}}],\"userLabels\":"
                  + labels(Map.of("lumen-objective", objective))
                  + "}"));
    }
    objects.add(
        new Desired(
            Kind.DASHBOARD,
            PROJECT,
            Optional.empty(),
            Map.of(),
            "{\"displayName\":\"checkout\",\"labels\":" + labels(Map.of()) + "}"));
    return objects;
  }

  @Test
  void createsOnceThenFindsEverythingAsDesired() {
    var first = sync.sync(desired(14.4, true), SCOPE);
    var second = sync.sync(desired(14.4, true), SCOPE);

    assertThat(first.created()).isEqualTo(6);
    assertThat(second.created()).isZero();
    assertThat(second.replaced()).isZero();
    assertThat(second.unchanged()).isEqualTo(6);
    assertThat(store.calls("create")).isEqualTo(6);
  }

  @Test
  void aHandEditIsRepairedAndWhatTheApiAddedIsNoDifference() {
    sync.sync(desired(14.4, true), SCOPE);
    String policy = store.all(Kind.ALERT_POLICY).keySet().iterator().next();
    store.edit(Kind.ALERT_POLICY, policy, p -> p.put("displayName", "renamed by hand"));
    String dashboard = store.all(Kind.DASHBOARD).keySet().iterator().next();
    store.edit(Kind.DASHBOARD, dashboard, d -> d.put("displayName", "mine now"));

    var outcome = sync.sync(desired(14.4, true), SCOPE);

    assertThat(outcome.replaced()).isEqualTo(2);
    assertThat(store.all(Kind.ALERT_POLICY).get(policy).path("displayName").asText())
        .startsWith("burn of");
    assertThat(store.all(Kind.DASHBOARD).get(dashboard).path("displayName").asText())
        .isEqualTo("checkout");
  }

  @Test
  void aChangedSpecReplacesInPlaceAndARemovedObjectiveIsDeleted() {
    sync.sync(desired(14.4, true), SCOPE);
    var names = store.all(Kind.ALERT_POLICY).keySet();

    var outcome = sync.sync(desired(13.44, false), SCOPE);

    assertThat(outcome.replaced()).isEqualTo(1);
    assertThat(outcome.deleted()).isEqualTo(2);
    assertThat(store.all(Kind.ALERT_POLICY)).hasSize(1);
    assertThat(names).containsAll(store.all(Kind.ALERT_POLICY).keySet());
    assertThat(store.all(Kind.SERVICE_LEVEL_OBJECTIVE))
        .containsOnlyKeys(SERVICE + "/serviceLevelObjectives/availability");
  }

  @Test
  void aForeignObjectIsNeverTouchedEvenWithTheSameDisplayName() {
    store.create(
        Kind.ALERT_POLICY,
        PROJECT,
        Optional.empty(),
        "{\"displayName\":\"burn of availability\",\"userLabels\":{\"team\":\"payments\"}}");
    store.create(Kind.DASHBOARD, PROJECT, Optional.empty(), "{\"displayName\":\"checkout\"}");

    sync.sync(desired(14.4, true), SCOPE);
    sync.deleteAll(SCOPE);

    assertThat(store.all(Kind.ALERT_POLICY).values())
        .singleElement()
        .satisfies(
            p -> assertThat(p.path("userLabels").path("team").asText()).isEqualTo("payments"));
    assertThat(store.all(Kind.DASHBOARD)).hasSize(1);
    assertThat(store.all(Kind.SERVICE)).isEmpty();
  }

  @Test
  void aServiceOfTheSameNameThatIsNotOursStopsTheSync() {
    store.create(
        Kind.SERVICE,
        PROJECT,
        Optional.of("lumen-shop-checkout"),
        "{\"displayName\":\"made by hand\",\"userLabels\":{\"team\":\"payments\"}}");

    var outcome = sync.sync(desired(14.4, true), SCOPE);

    assertThat(outcome.notOwned()).containsExactly(SERVICE);
    assertThat(outcome.created()).isZero();
    assertThat(store.all(Kind.SERVICE).get(SERVICE).path("displayName").asText())
        .isEqualTo("made by hand");
    assertThat(store.all(Kind.ALERT_POLICY)).isEmpty();
  }
}
