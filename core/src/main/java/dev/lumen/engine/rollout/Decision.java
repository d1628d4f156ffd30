package dev.lumen.engine.rollout;

import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import java.util.List;
import java.util.Set;

/**
 * What the engine decided for one policy.
 *
 * @param actions what to do, in order, each with its reason
 * @param status the new status to write (built from a copy; the previous one is untouched)
 * @param enforced false in DryRun: traffic, min-instances and TTL actions are only reported
 * @param consumed the commands this decision acted on, to be cleared by the shell
 */
public record Decision(
    List<Action> actions, LumenPolicyStatus status, boolean enforced, Set<Command> consumed) {}
