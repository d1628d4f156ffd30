package dev.lumen.testkit.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NameIndexedStoreTest {
  /** The dispatcher's own search: the first stored object, in insertion order, that matches. */
  private static Map.Entry<AttributeSet, String> scan(
      Map<AttributeSet, String> map, AttributeSet query) {
    synchronized (map) {
      return map.entrySet().stream()
          .filter(e -> e.getKey().matches(query))
          .findFirst()
          .orElse(null);
    }
  }

  @Test
  void findsWhatAScanOfTheWholeStoreFinds() {
    var dispatcher = new KubernetesCrudDispatcher(List.of());
    var store = NameIndexedStore.install(dispatcher);
    Map<AttributeSet, String> map = dispatcher.getMap();
    var random = new Random(26);
    List<AttributeSet> stored = new ArrayList<>();
    int answeredByIndex = 0;
    int foundByIndex = 0;
    for (int i = 0; i < 20_000; i++) {
      int action = random.nextInt(10);
      if (action < 4) {
        AttributeSet key = object(random);
        map.put(key, "object " + i);
        stored.add(key);
      } else if (action < 6 && !stored.isEmpty()) {
        map.remove(stored.remove(random.nextInt(stored.size())));
      } else if (action < 7 && !stored.isEmpty()) {
        // Removed behind the index's back, as an iterator would.
        AttributeSet gone = stored.remove(random.nextInt(stored.size()));
        synchronized (map) {
          map.entrySet().removeIf(e -> e.getKey().equals(gone));
        }
      } else {
        AttributeSet query = query(random);
        var expected = scan(map, query);
        boolean[] scanned = {false};
        var found =
            store.find(
                query,
                () -> {
                  scanned[0] = true;
                  return scan(map, query);
                });
        if (expected == null) {
          assertThat(found).as("query %s", query).isNull();
        } else {
          assertThat(found).as("query %s", query).isNotNull();
          assertThat(found.getKey()).isEqualTo(expected.getKey());
          assertThat(found.getValue()).isEqualTo(expected.getValue());
        }
        if (!scanned[0]) {
          answeredByIndex++;
          foundByIndex += found == null ? 0 : 1;
        }
      }
    }
    assertThat(answeredByIndex).as("queries the index answered").isGreaterThan(2_000);
    assertThat(foundByIndex).as("objects the index found").isGreaterThan(1_000);
  }

  private static AttributeSet object(Random random) {
    List<Attribute> attributes = new ArrayList<>();
    attributes.add(new Attribute("plural", random.nextBoolean() ? "configmaps" : "lumenpolicies"));
    attributes.add(new Attribute("namespace", "ns-" + random.nextInt(4)));
    int naming = random.nextInt(20);
    if (naming == 0) {
      attributes.add(new Attribute("name", "*"));
    } else if (naming > 1) {
      attributes.add(new Attribute("name", "n-" + random.nextInt(100)));
    }
    if (random.nextInt(10) == 0) {
      attributes.add(new Attribute("labels:team", "t-" + random.nextInt(2)));
    }
    return new AttributeSet(attributes);
  }

  private static AttributeSet query(Random random) {
    List<Attribute> attributes = new ArrayList<>();
    if (random.nextInt(4) > 0) {
      attributes.add(
          new Attribute("plural", random.nextBoolean() ? "configmaps" : "lumenpolicies"));
    }
    if (random.nextInt(4) > 0) {
      attributes.add(new Attribute("namespace", "ns-" + random.nextInt(4)));
    }
    int naming = random.nextInt(10);
    if (naming == 0) {
      attributes.add(new Attribute("name", "*"));
    } else if (naming > 2) {
      attributes.add(new Attribute("name", "n-" + random.nextInt(100)));
    }
    return new AttributeSet(attributes);
  }

  @Test
  void theServerStillCreatesUpdatesAndRefusesByName() {
    try (var server = EmbeddedApiServer.start();
        var client = server.newClient()) {
      for (String namespace : List.of("a", "b", "c")) {
        client.configMaps().inNamespace(namespace).resource(configMap("same", "1")).create();
      }
      client.configMaps().inNamespace("b").resource(configMap("same", "2")).update();
      client.configMaps().inNamespace("c").withName("same").delete();

      assertThat(client.configMaps().inNamespace("a").withName("same").get().getData())
          .containsEntry("v", "1");
      assertThat(client.configMaps().inNamespace("b").withName("same").get().getData())
          .containsEntry("v", "2");
      assertThat(client.configMaps().inNamespace("c").withName("same").get()).isNull();
      assertThatThrownBy(
              () -> client.configMaps().inNamespace("a").resource(configMap("same", "3")).create())
          .isInstanceOf(KubernetesClientException.class)
          .extracting(e -> ((KubernetesClientException) e).getCode())
          .isEqualTo(409);
      assertThatThrownBy(
              () -> client.configMaps().inNamespace("c").resource(configMap("same", "3")).update())
          .isInstanceOf(KubernetesClientException.class)
          .extracting(e -> ((KubernetesClientException) e).getCode())
          .isEqualTo(404);
    }
  }

  private static ConfigMap configMap(String name, String value) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .addToData("v", value)
        .build();
  }
}
