package dev.lumen.reconciler.lumenpolicy;

import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.SLOTarget;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Maps an SLOTarget to the LumenPolicies that name it, through an index on the policy cache, so a
 * policy is reconciled again when an SLOTarget it names appears, changes or disappears.
 */
public final class SloTargetReferenceIndex implements SecondaryToPrimaryMapper<SLOTarget> {
  static final String INDEX_NAME = "lumen.dev/slo-target-references";

  private final IndexerResourceCache<LumenPolicy> policies;

  private SloTargetReferenceIndex(IndexerResourceCache<LumenPolicy> policies) {
    this.policies = policies;
  }

  /** Adds the index to the policy cache and returns the mapper that reads it. */
  public static SloTargetReferenceIndex install(IndexerResourceCache<LumenPolicy> policies) {
    policies.addIndexer(INDEX_NAME, SloTargetReferenceIndex::keysOf);
    return new SloTargetReferenceIndex(policies);
  }

  /** The index keys of a policy: one per SLOTarget it names. */
  static List<String> keysOf(LumenPolicy policy) {
    if (policy.getSpec() == null || policy.getSpec().sloTargets() == null) {
      return List.of();
    }
    String namespace = policy.getMetadata().getNamespace();
    return policy.getSpec().sloTargets().stream().map(name -> key(namespace, name)).toList();
  }

  static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  @Override
  public Set<ResourceID> toPrimaryResourceIDs(SLOTarget target) {
    return policies
        .byIndex(
            INDEX_NAME, key(target.getMetadata().getNamespace(), target.getMetadata().getName()))
        .stream()
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }
}
