package dev.lumen.runtime;

import dev.lumen.reconciler.ReadyCondition;
import dev.lumen.reconciler.StatusConditions;
import dev.lumen.reconciler.lumenpolicy.LumenPolicyReconciler;
import dev.lumen.reconciler.slotarget.SLOTargetReconciler;
import dev.lumen.validation.CrdSchemas;
import dev.lumen.validation.ResourceValidator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

/**
 * The composition root: wires the reconcilers with their collaborators by constructor and runs them
 * on java-operator-sdk.
 */
public final class LumenOperator implements AutoCloseable {
  private final Operator operator;

  private LumenOperator(Operator operator) {
    this.operator = operator;
  }

  /** Builds, registers and starts the operator; returns once the informers have synced. */
  public static LumenOperator start(
      KubernetesClient client, OperatorSettings settings, Clock clock, MeterRegistry registry) {
    var validator = new ResourceValidator(CrdSchemas.load());
    var ready = new ReadyCondition(new StatusConditions(clock));
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
                  .ifPresent(
                      l ->
                          o.withLeaderElectionConfiguration(
                              new LeaderElectionConfiguration(
                                  l.leaseName(), l.leaseNamespace(), l.identity())));
            });
    operator.register(new SLOTargetReconciler(validator, ready), c -> watch(c, settings));
    operator.register(
        new LumenPolicyReconciler(validator, ready, settings.secretRecheckInterval()),
        c -> watch(c, settings));
    operator.start();
    return new LumenOperator(operator);
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
    operator.stop();
  }
}
