package dev.lumen.engine.rollout;

import java.util.Arrays;
import java.util.Optional;

/** What a person can ask of a rollout, each with the annotation that asks it. */
public enum Command {
  /** Pass the current approval step. */
  APPROVE("lumen.dev/approve"),
  /** Skip the remaining steps: all traffic to the canary now. */
  PROMOTE("lumen.dev/promote"),
  /** Roll back now, without a grace period. */
  ABORT("lumen.dev/abort"),
  /** Keep an announced (or future) automatic rollback from executing. */
  HOLD("lumen.dev/hold-rollback"),
  /** Let held rollbacks execute again. */
  RELEASE("lumen.dev/release-rollback"),
  /** Allow a failed revision again, cancel a pending rollback, or resume a paused rollout. */
  RETRY("lumen.dev/retry"),
  /** Let the canary (or the revision waiting to start) go past failing Block gates. */
  OVERRIDE_GATES("lumen.dev/override-gates");

  private final String annotation;

  Command(String annotation) {
    this.annotation = annotation;
  }

  public String annotation() {
    return annotation;
  }

  public static Optional<Command> fromAnnotation(String annotation) {
    return Arrays.stream(values()).filter(c -> c.annotation.equals(annotation)).findFirst();
  }
}
