package dev.lumen.reconciler.lumenpolicy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.api.v1alpha1.SLOTargetStatus;
import dev.lumen.api.v1alpha1.SLOTargetStatus.SloState;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class SloTargetSignalTest {
  static SLOTarget target(SloState state, String compliance, String reason) {
    var target = new SLOTarget();
    target.setMetadata(new ObjectMetaBuilder().withName("checkout").withGeneration(3L).build());
    var status = new SLOTargetStatus();
    status.setState(state);
    status.setCompliance(compliance);
    status.setConditions(
        List.of(new Condition("ObjectivesMet", Condition.Status.True, 3L, "t", reason, "m")));
    target.setStatus(status);
    return target;
  }

  @Test
  void aNewMeasurementIsNoSignalButANewStateOrReasonIs() {
    var before = SloTargetSignal.of(target(SloState.Healthy, "99.91", "ObjectivesMet"));

    assertThat(SloTargetSignal.of(target(SloState.Healthy, "99.87", "ObjectivesMet")))
        .isEqualTo(before);
    assertThat(SloTargetSignal.of(target(SloState.Critical, "99.87", "ObjectivesMet")))
        .isNotEqualTo(before);
    assertThat(SloTargetSignal.of(target(SloState.Healthy, "99.91", "Other"))).isNotEqualTo(before);
  }
}
