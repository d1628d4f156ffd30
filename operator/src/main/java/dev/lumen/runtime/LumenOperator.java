package dev.lumen.runtime;

import dev.lumen.reconciler.ReadyCondition;
import dev.lumen.reconciler.lumenpolicy.LumenPolicyReconciler;
import dev.lumen.reconciler.slotarget.SLOTargetReconciler;
import dev.lumen.validation.CrdSchemas;
import dev.lumen.validation.ResourceValidator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: wires the reconcilers with their collaborators by constructor and runs them
 * on java-operator-sdk.
 */
public final class LumenOperator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LumenOperator.class);

  private final Operator operator;
  private final AtomicBoolean stopping;

  private LumenOperator(Operator operator, AtomicBoolean stopping) {
    this.operator = operator;
    this.stopping = stopping;
  }

  /** Builds, registers and starts the operator; returns once the informers have synced. */
  public static LumenOperator start(
      KubernetesClient client, OperatorSettings settings, Clock clock, MeterRegistry registry) {
    var validator = new ResourceValidator(CrdSchemas.load());
    var ready = new ReadyCondition(clock);
    var stopping = new AtomicBoolean(false);
    var operator =
        new Operator(
            o -> {
              // Status is patched with a diff, not server-side apply: the embedded API server
              // does not implement apply, and one code path everywhere is the tested one.
              o.withKubernetesClient(client)
                  .withUseSSAToPatchPrimaryResource(false)
                  .withCloseClientOnStop(false)
                  .withConcurrentReconciliationThreads(settings.reconcileThreads())
                  .withMetrics(MicrometerMetrics.newMicrometerMetricsBuilder(registry).build());
              settings
                  .leaderElection()
                  .ifPresent(l -> o.withLeaderElectionConfiguration(leaderElection(l, stopping)));
            });
    operator.register(new SLOTargetReconciler(validator, ready), c -> watch(c, settings));
    operator.register(
        new LumenPolicyReconciler(validator, ready, settings.secretRecheckInterval()),
        c -> watch(c, settings));
    operator.start();
    return new LumenOperator(operator, stopping);
  }

  /**
   * A replica that loses the lease exits, so that it restarts and rejoins the election instead of
   * reconciling beside the new leader; stopping on purpose also gives up the lease, and must not.
   */
  private static LeaderElectionConfiguration leaderElection(
      OperatorSettings.LeaderElection election, AtomicBoolean stopping) {
    var callbacks =
        new LeaderCallbacks(
            () -> LOG.info("Became the leader as {}", election.identity()),
            () -> {
              if (!stopping.get()) {
                LOG.error(
                    "Lost the lease {}; exiting to rejoin the election", election.leaseName());
                System.exit(1);
              }
            },
            leader -> LOG.info("The leader is now {}", leader));
    return new LeaderElectionConfiguration(
        election.leaseName(),
        election.leaseNamespace(),
        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
        election.identity(),
        callbacks,
        false);
  }

  private static void watch(
      io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider<?> controller,
      OperatorSettings settings) {
    if (settings.namespaces().isEmpty()) {
      controller.watchingAllNamespaces();
    } else {
      controller.settingNamespaces(settings.namespaces());
    }
  }

  /** Started, and every informer connected to the API server. */
  public boolean isReady() {
    var info = operator.getRuntimeInfo();
    return info.isStarted() && info.allEventSourcesAreHealthy();
  }

  @Override
  public void close() {
    stopping.set(true);
    operator.stop();
  }
}
