package dev.lumen.act;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.PendingStatus.RevisionTag;
import dev.lumen.api.v1alpha1.RevisionTagsSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RevisionTagsTest {
  static final List<RevisionTag> ROLLOUT =
      List.of(new RevisionTag("web-2", "canary"), new RevisionTag("web-1", "stable"));

  @Test
  void theTeamsTagsStayAndLumensFollowTheDecision() {
    var live = Map.of("web-0", "legacy", "web-1", "stable", "web-7", "canary");

    assertThat(RevisionTags.merge(live, null, ROLLOUT))
        .as("an old canary tag moves to the new canary")
        .isEqualTo(Map.of("web-0", "legacy", "web-1", "stable", "web-2", "canary"));
    assertThat(RevisionTags.merge(live, null, List.of()))
        .as("the rollout ended")
        .isEqualTo(Map.of("web-0", "legacy"));
  }

  @Test
  void aRevisionTheTeamTaggedKeepsItsTagAndGetsNoSecond() {
    assertThat(RevisionTags.merge(Map.of("web-2", "preview"), null, ROLLOUT))
        .isEqualTo(Map.of("web-2", "preview", "web-1", "stable"));
  }

  @Test
  void namesAreConfigurableAndTaggingCanBeTurnedOff() {
    var names = new RevisionTagsSpec(true, "next", "current");
    assertThat(
            RevisionTags.merge(
                Map.of("web-1", "current", "web-0", "canary"),
                names,
                List.of(new RevisionTag("web-2", "next"))))
        .as("only its own names are Lumen's")
        .isEqualTo(Map.of("web-0", "canary", "web-2", "next"));
    var live = Map.of("web-1", "stable");
    assertThat(RevisionTags.merge(live, new RevisionTagsSpec(false, null, null), ROLLOUT))
        .isEqualTo(live);
  }
}
