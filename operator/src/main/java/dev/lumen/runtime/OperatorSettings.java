package dev.lumen.runtime;

import dev.lumen.ports.MetricSource.MetricRequest;
import dev.lumen.reconciler.Pacing;
import dev.lumen.tenancy.AdmissionMap;
import dev.lumen.tenancy.Tenancy;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How the operator runs.
 *
 * @param namespaces namespaces to watch; empty watches all namespaces
 * @param leaderElection lease to hold before reconciling, when several replicas run
 * @param reconcileThreads reconciliations that may run at once
 * @param secretRecheckInterval how soon a policy waiting for a missing Secret looks again
 * @param metricDataDelay how long after the fact a metric sample is complete; windows end this long
 *     before now
 * @param pacing how the clock's time maps to real time (faster only in the demo and tests)
 * @param prometheusRules whether to keep a PrometheusRule per SLOTarget, and its labels
 * @param tenancy whether LumenProjectBindings decide which namespace may manage which project
 * @param admissionMap the ConfigMap the chart's admission policy reads the bindings from, kept up
 *     to date by the operator in the bound mode
 * @param shard the part of the fleet this operator serves
 */
public record OperatorSettings(
    Set<String> namespaces,
    Optional<LeaderElection> leaderElection,
    int reconcileThreads,
    Duration secretRecheckInterval,
    Duration metricDataDelay,
    Pacing pacing,
    Optional<PrometheusRules> prometheusRules,
    Tenancy.Mode tenancy,
    Optional<AdmissionMap.Location> admissionMap,
    Shard shard) {

  /**
   * @param labels labels of each PrometheusRule, e.g. what the Prometheus Operator selects rules by
   */
  public record PrometheusRules(Map<String, String> labels) {
    public PrometheusRules {
      labels = Map.copyOf(labels);
    }
  }

  /**
   * A Kubernetes Lease the replicas compete for.
   *
   * @param leaseDuration how long a follower waits after the leader's last renewal before it takes
   *     over; the leader renews every {@code leaseDuration / 7.5} and gives up leading when it
   *     could not renew for {@code 2/3} of it
   */
  public record LeaderElection(
      String leaseName, String leaseNamespace, String identity, Duration leaseDuration) {
    public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(15);

    public LeaderElection(String leaseName, String leaseNamespace, String identity) {
      this(leaseName, leaseNamespace, identity, DEFAULT_LEASE_DURATION);
    }

    public Duration renewDeadline() {
      return leaseDuration.multipliedBy(2).dividedBy(3);
    }

    public Duration retryPeriod() {
      return leaseDuration.multipliedBy(2).dividedBy(15);
    }
  }

  public static OperatorSettings defaults() {
    return new OperatorSettings(
        Set.of(),
        Optional.empty(),
        10,
        Duration.ofSeconds(30),
        MetricRequest.DEFAULT_DATA_DELAY,
        Pacing.REAL_TIME,
        Optional.empty(),
        Tenancy.Mode.bound,
        Optional.empty(),
        Shard.ALL);
  }

  public OperatorSettings withNamespaces(Set<String> value) {
    return new OperatorSettings(
        value,
        leaderElection,
        reconcileThreads,
        secretRecheckInterval,
        metricDataDelay,
        pacing,
        prometheusRules,
        tenancy,
        admissionMap,
        shard);
  }

  public OperatorSettings withLeaderElection(Optional<LeaderElection> value) {
    return new OperatorSettings(
        namespaces,
        value,
        reconcileThreads,
        secretRecheckInterval,
        metricDataDelay,
        pacing,
        prometheusRules,
        tenancy,
        admissionMap,
        shard);
  }

  public OperatorSettings withReconcileThreads(int value) {
    return new OperatorSettings(
        namespaces,
        leaderElection,
        value,
        secretRecheckInterval,
        metricDataDelay,
        pacing,
        prometheusRules,
        tenancy,
        admissionMap,
        shard);
  }

  public OperatorSettings withSecretRecheckInterval(Duration value) {
    return new OperatorSettings(
        namespaces,
        leaderElection,
        reconcileThreads,
        value,
        metricDataDelay,
        pacing,
        prometheusRules,
        tenancy,
        admissionMap,
        shard);
  }

  public OperatorSettings withMetricDataDelay(Duration value) {
    return new OperatorSettings(
        namespaces,
        leaderElection,
        reconcileThreads,
        secretRecheckInterval,
        value,
        pacing,
        prometheusRules,
        tenancy,
        admissionMap,
        shard);
  }

  public OperatorSettings withPacing(Pacing value) {
    return new OperatorSettings(
        namespaces,
        leaderElection,
        reconcileThreads,
        secretRecheckInterval,
        metricDataDelay,
        value,
        prometheusRules,
        tenancy,
        admissionMap,
        shard);
  }

  public OperatorSettings withTenancy(Tenancy.Mode value) {
    return new OperatorSettings(
        namespaces,
        leaderElection,
        reconcileThreads,
        secretRecheckInterval,
        metricDataDelay,
        pacing,
        prometheusRules,
        value,
        admissionMap,
        shard);
  }

  public OperatorSettings withPrometheusRules(Optional<PrometheusRules> value) {
    return new OperatorSettings(
        namespaces,
        leaderElection,
        reconcileThreads,
        secretRecheckInterval,
        metricDataDelay,
        pacing,
        value,
        tenancy,
        admissionMap,
        shard);
  }

  public OperatorSettings withAdmissionMap(Optional<AdmissionMap.Location> value) {
    return new OperatorSettings(
        namespaces,
        leaderElection,
        reconcileThreads,
        secretRecheckInterval,
        metricDataDelay,
        pacing,
        prometheusRules,
        tenancy,
        value,
        shard);
  }

  public OperatorSettings withShard(Shard value) {
    return new OperatorSettings(
        namespaces,
        leaderElection,
        reconcileThreads,
        secretRecheckInterval,
        metricDataDelay,
        pacing,
        prometheusRules,
        tenancy,
        admissionMap,
        value);
  }
}
