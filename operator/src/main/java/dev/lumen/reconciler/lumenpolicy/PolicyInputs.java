package dev.lumen.reconciler.lumenpolicy;

import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.api.v1alpha1.SLOTargetStatus;
import dev.lumen.cycle.PolicyCycle;
import dev.lumen.cycle.Readiness;
import dev.lumen.observe.PolicyObserver;
import dev.lumen.reconciler.ClusterReferences;
import dev.lumen.reconciler.Steering;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The input of a policy's cycle, resolved from the cluster. */
final class PolicyInputs {
  private PolicyInputs() {}

  /** What the cycle needs that only the cluster knows; Secrets are read only for a valid spec. */
  static PolicyCycle.Input of(
      LumenPolicy policy,
      Readiness readiness,
      ClusterReferences references,
      Map<String, SLOTarget> sloTargets) {
    Map<String, SLOTargetStatus> statuses = new HashMap<>();
    sloTargets.forEach(
        (name, t) -> Optional.ofNullable(t.getStatus()).ifPresent(s -> statuses.put(name, s)));
    return new PolicyCycle.Input(
        LumenPolicyReconciler.owner(policy),
        policy.getMetadata().getUid(),
        Objects.requireNonNullElse(policy.getMetadata().getGeneration(), 0L),
        policy.getSpec(),
        readiness,
        Steering.commands(policy),
        readiness.accepted() ? redis(policy, references) : Optional.empty(),
        statuses);
  }

  private static Optional<URI> redis(LumenPolicy policy, ClusterReferences references) {
    return PolicyObserver.redisOf(policy.getSpec())
        .flatMap(
            redis ->
                references.secretUrl(policy.getMetadata().getNamespace(), redis.urlSecretRef()));
  }
}
