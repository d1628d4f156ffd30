package dev.lumen.runtime;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * How the operator runs.
 *
 * @param namespaces namespaces to watch; empty watches all namespaces
 * @param leaderElection lease to hold before reconciling, when several replicas run
 * @param reconcileThreads reconciliations that may run at once
 * @param secretRecheckInterval how soon a policy waiting for a missing Secret looks again
 */
public record OperatorSettings(
    Set<String> namespaces,
    Optional<LeaderElection> leaderElection,
    int reconcileThreads,
    Duration secretRecheckInterval) {

  /** A Kubernetes Lease the replicas compete for. */
  public record LeaderElection(String leaseName, String leaseNamespace, String identity) {}

  public static OperatorSettings defaults() {
    return new OperatorSettings(Set.of(), Optional.empty(), 10, Duration.ofSeconds(30));
  }
}
