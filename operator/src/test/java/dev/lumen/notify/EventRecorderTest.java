package dev.lumen.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.clock.VirtualClock;
import dev.lumen.testkit.kube.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Events on the embedded API server: repeats are counted on one event, as kubectl shows them. */
class EventRecorderTest {
  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

  EmbeddedApiServer api;
  KubernetesClient client;
  VirtualClock clock;
  EventRecorder events;
  LumenPolicy policy;

  @BeforeEach
  void start() {
    api = EmbeddedApiServer.start();
    client = api.newClient();
    clock = new VirtualClock(T0);
    events = new EventRecorder(client, clock, "lumen-operator");
    policy =
        Serialization.unmarshal(
            """
            apiVersion: lumen.dev/v1alpha1
            kind: LumenPolicy
            metadata: {name: checkout, namespace: shop, uid: 6a1c}
            spec:
              service: {cloudRun: {project: p, region: europe-west1, name: checkout}}
            """,
            LumenPolicy.class);
  }

  @AfterEach
  void stop() {
    client.close();
    api.close();
  }

  @Test
  void aRepeatedEventIsCountedOnTheFirstOne() {
    for (int i = 0; i < 4; i++) {
      events.record(policy, true, "CloudRunUnavailable", "no decision this cycle: UNAVAILABLE");
      clock.advance(Duration.ofSeconds(30));
    }
    events.record(policy, false, "Promoted", "promoted checkout-00002");

    List<Event> written = list();
    assertThat(written).hasSize(2);
    Event outage = written.get(0);
    assertThat(outage.getReason()).isEqualTo("CloudRunUnavailable");
    assertThat(outage.getType()).isEqualTo("Warning");
    assertThat(outage.getCount()).isEqualTo(4);
    assertThat(outage.getFirstTimestamp()).isEqualTo(T0.toString());
    assertThat(outage.getLastTimestamp()).isEqualTo(T0.plusSeconds(90).toString());
    assertThat(outage.getInvolvedObject().getKind()).isEqualTo("LumenPolicy");
    assertThat(outage.getInvolvedObject().getName()).isEqualTo("checkout");
    assertThat(written.get(1).getCount()).isEqualTo(1);
  }

  @Test
  void theSameEventAfterTenQuietMinutesIsANewOne() {
    events.record(policy, true, "CloudRunUnavailable", "UNAVAILABLE");
    clock.advance(Duration.ofMinutes(11));
    events.record(policy, true, "CloudRunUnavailable", "UNAVAILABLE");

    assertThat(list()).extracting(Event::getCount).containsExactly(1, 1);
  }

  @Test
  void anEventDeletedMeanwhileIsWrittenAgain() {
    events.record(policy, true, "CloudRunUnavailable", "UNAVAILABLE");
    client.v1().events().inNamespace("shop").delete();
    events.record(policy, true, "CloudRunUnavailable", "UNAVAILABLE");

    assertThat(list()).extracting(Event::getCount).containsExactly(1);
  }

  List<Event> list() {
    return client.v1().events().inNamespace("shop").list().getItems().stream()
        .sorted(Comparator.comparing(Event::getFirstTimestamp))
        .toList();
  }
}
