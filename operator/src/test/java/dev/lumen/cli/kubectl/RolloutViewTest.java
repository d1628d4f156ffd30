package dev.lumen.cli.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.LumenPolicy;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** What {@code kubectl lumen get} shows of a rollout that counts stable's history. */
class RolloutViewTest {
  private static final String POLICY =
      """
      apiVersion: lumen.dev/v1alpha1
      kind: LumenPolicy
      metadata: {name: web, namespace: team-a, generation: 1}
      spec:
        service: {cloudRun: {project: p, region: r, name: web}}
        rollout: {analysis: {stableHistory: 24h}}
      status:
        observedGeneration: 1
        phase: Progressing
        stableRevision: web-001
        canaryRevision: web-002
        canaryWeight: 5
        step: 0
        rollout:
          stableHistory:
            revision: web-001
            startTime: "2026-03-01T09:59:00Z"
            endTime: "2026-03-02T09:59:00Z"
            requests: {requests: 864000, clientErrors: 0, serverErrors: 4320}
      """;

  private final RolloutView view =
      new RolloutView(ZoneOffset.UTC, Instant.parse("2026-03-02T10:05:00Z"));

  @Test
  void showsStablesHistoryTheRolloutCountsInItsPromotion() {
    String shown = view.render(Serialization.unmarshal(POLICY, LumenPolicy.class));

    assertThat(shown)
        .contains(
            "History:  stable web-001's 864000 requests in the 1d before (0.5 % 5xx) count in the"
                + " promotion");
  }

  @Test
  void showsWhyStablesHistoryWasSetAside() {
    String setAside =
        POLICY.replace(
            "requests: {requests: 864000",
            "setAside: \"stable's error rate during the rollout differs\"\n"
                + "      requests: {requests: 864000");

    String shown = view.render(Serialization.unmarshal(setAside, LumenPolicy.class));

    assertThat(shown)
        .contains("History:  set aside: stable's error rate during the rollout differs")
        .doesNotContain("count in the promotion");
  }

  @Test
  void saysStablesHistoryNoLongerCountsOnceThePolicyStopsAskingForIt() {
    String turnedOff = POLICY.replace("stableHistory: 24h", "stableHistory: 0s");

    String shown = view.render(Serialization.unmarshal(turnedOff, LumenPolicy.class));

    assertThat(shown)
        .contains("History:  not counted: spec.rollout.analysis.stableHistory is now 0s");
  }
}
