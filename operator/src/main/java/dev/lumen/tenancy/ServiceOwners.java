package dev.lumen.tenancy;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.LumenPolicy;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One LumenPolicy steers a service: of several naming the same Cloud Run service, the oldest keeps
 * control and the others are refused, so two policies never fight over its traffic.
 */
public final class ServiceOwners {
  /** Oldest first; among policies created in the same second, by namespace and name. */
  private static final Comparator<LumenPolicy> SENIORITY =
      Comparator.comparing(
              (LumenPolicy p) ->
                  Objects.requireNonNullElse(p.getMetadata().getCreationTimestamp(), "~"))
          .thenComparing(p -> p.getMetadata().getNamespace())
          .thenComparing(p -> p.getMetadata().getName());

  /** A policy refused for its spec or its project never acts, so it keeps nobody out. */
  private static final Set<String> NOT_OWNING =
      Set.of(
          Conditions.REASON_INVALID_SPEC,
          Conditions.REASON_PROJECT_NOT_BOUND,
          Conditions.REASON_SERVICE_ALREADY_MANAGED);

  private ServiceOwners() {}

  private static boolean mayOwn(LumenPolicy policy) {
    return policy.getStatus() == null
        || policy.getStatus().getConditions().stream()
            .noneMatch(
                c ->
                    c.type().equals(Conditions.READY)
                        && c.status() == Condition.Status.False
                        && NOT_OWNING.contains(c.reason()));
  }

  /**
   * Why {@code policy} may not steer its service: another, older policy does; empty when it is the
   * owner.
   *
   * @param candidates LumenPolicies that may name the same service (the operator's index of them;
   *     any other policy among them is ignored)
   */
  public static Optional<String> refusal(LumenPolicy policy, Stream<LumenPolicy> candidates) {
    Optional<CloudRunServiceReference> service = policy.cloudRunService();
    if (service.isEmpty()) {
      return Optional.empty();
    }
    return candidates
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(p -> p.cloudRunService().equals(service))
        .filter(p -> p == policy || mayOwn(p))
        .min(SENIORITY)
        .filter(owner -> !owner.getMetadata().getUid().equals(policy.getMetadata().getUid()))
        .map(
            owner ->
                "spec.service.cloudRun: "
                    + service.get().resourceName()
                    + " is already managed by LumenPolicy "
                    + owner.getMetadata().getNamespace()
                    + "/"
                    + owner.getMetadata().getName()
                    + ", which keeps control; delete one of the two, or point this one at another"
                    + " service");
  }
}
