package dev.lumen.cycle;

import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import java.util.List;

/** What a policy's cycle reports besides events: notifications, counts and consumed commands. */
public interface PolicySink extends DecisionSink<LumenPolicyStatus> {
  /** A world-changing decision was taken, and whether it is enforced or only a DryRun's. */
  void decided(String kind, boolean enforced);

  /**
   * Removes steering annotations that were acted on. Must succeed when they are already gone (a
   * restart repeats the removal).
   */
  void removeAnnotations(List<String> keys);
}
