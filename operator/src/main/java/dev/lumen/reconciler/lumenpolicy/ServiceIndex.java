package dev.lumen.reconciler.lumenpolicy;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.api.v1alpha1.LumenPolicy;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.List;
import java.util.stream.Stream;

/**
 * The policies that name a Cloud Run service, through an index on the policy cache. Deciding who
 * owns a service reads only them: scanning every cached policy at each reconcile took a fifth of
 * the reconcile threads' CPU at 1,000 policies, and grew with the square of the fleet.
 */
final class ServiceIndex {
  static final String INDEX_NAME = "lumen.dev/cloud-run-service";

  private ServiceIndex() {}

  static void install(IndexerResourceCache<LumenPolicy> policies) {
    policies.addIndexer(INDEX_NAME, ServiceIndex::keysOf);
  }

  static List<String> keysOf(LumenPolicy policy) {
    return policy.cloudRunService().map(CloudRunServiceReference::resourceName).stream().toList();
  }

  /** Every cached policy naming the service {@code policy} names, whichever its namespace. */
  static Stream<LumenPolicy> sharingTheService(
      LumenPolicy policy, IndexedResourceCache<LumenPolicy> policies) {
    return keysOf(policy).stream().flatMap(key -> policies.byIndex(INDEX_NAME, key).stream());
  }
}
