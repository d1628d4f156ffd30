package dev.lumen.act;

import dev.lumen.api.v1alpha1.PendingStatus.RevisionTag;
import dev.lumen.api.v1alpha1.RevisionTagsSpec;
import dev.lumen.engine.rollout.LumenTags;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The tags a traffic change leaves on the service: the team's own as they are, Lumen's
 * (spec.rollout.revisionTags) as the decision says, which is none once a rollout ends.
 */
final class RevisionTags {
  private RevisionTags() {}

  /**
   * @param live the service's tags as last read, revision to tag
   * @param wanted the tags the decision puts on, revision to tag
   */
  static Map<String, String> merge(
      Map<String, String> live, RevisionTagsSpec names, List<RevisionTag> wanted) {
    LumenTags lumen = LumenTags.of(names);
    if (!lumen.enabled()) {
      return live;
    }
    Set<String> lumens = lumen.names();
    Map<String, String> tags = new TreeMap<>();
    live.forEach(
        (revision, tag) -> {
          if (!lumens.contains(tag)) {
            tags.put(revision, tag);
          }
        });
    if (wanted != null) {
      // One tag per revision: a revision the team tagged keeps its URL, and gets no second one.
      wanted.forEach(t -> tags.putIfAbsent(t.revision(), t.tag()));
    }
    return tags;
  }
}
