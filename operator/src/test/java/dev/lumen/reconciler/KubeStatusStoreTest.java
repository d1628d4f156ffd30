package dev.lumen.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.cycle.StatusStore;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

class KubeStatusStoreTest {
  @Test
  void anApiServerThatDoesNotAnswerOrFailsIsAnOutageNotAConflict() {
    assertThat(KubeStatusStore.translated(new KubernetesClientException("connection refused")))
        .isInstanceOf(StatusStore.Unreachable.class);
    assertThat(KubeStatusStore.translated(new KubernetesClientException("unavailable", 503, null)))
        .isInstanceOf(StatusStore.Unreachable.class);
    assertThat(KubeStatusStore.translated(new KubernetesClientException("throttled", 429, null)))
        .isInstanceOf(StatusStore.Unreachable.class);

    var conflict = new KubernetesClientException("the object has been modified", 409, null);
    assertThat(KubeStatusStore.translated(conflict)).isSameAs(conflict);
    var invalid = new KubernetesClientException("status.phase: Unsupported value", 422, null);
    assertThat(KubeStatusStore.translated(invalid)).isSameAs(invalid);
  }
}
