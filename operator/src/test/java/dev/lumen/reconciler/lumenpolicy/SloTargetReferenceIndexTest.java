package dev.lumen.reconciler.lumenpolicy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.LumenPolicySpec;
import dev.lumen.api.v1alpha1.ServiceReference;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class SloTargetReferenceIndexTest {
  @Test
  void indexesAPolicyUnderEachSloTargetItNamesInItsNamespace() {
    assertThat(SloTargetReferenceIndex.keysOf(policy("team-a", List.of("web", "api"))))
        .containsExactly("team-a/web", "team-a/api");
  }

  @Test
  void aPolicyWithoutSloTargetsIsNotIndexed() {
    assertThat(SloTargetReferenceIndex.keysOf(policy("team-a", null))).isEmpty();
    LumenPolicy withoutSpec = policy("team-a", null);
    withoutSpec.setSpec(null);
    assertThat(SloTargetReferenceIndex.keysOf(withoutSpec)).isEmpty();
  }

  private static LumenPolicy policy(String namespace, List<String> sloTargets) {
    var policy = new LumenPolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName("p").withNamespace(namespace).build());
    policy.setSpec(
        new LumenPolicySpec(
            new ServiceReference(new CloudRunServiceReference("my-project", "us-central1", "web")),
            LumenPolicySpec.Mode.Enforce,
            sloTargets,
            null,
            null,
            null,
            null,
            null));
    return policy;
  }
}
