package dev.lumen.reconciler.lumenpolicy;

import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.cycle.PolicySink;
import dev.lumen.engine.Severity;
import dev.lumen.notify.Alerts;
import dev.lumen.notify.Notification;
import dev.lumen.ports.HttpEndpoint;
import dev.lumen.reconciler.ClusterReferences;
import dev.lumen.reconciler.KubeStatusStore;
import dev.lumen.reconciler.Shell;
import dev.lumen.reconciler.Steering;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a policy's cycle reports to in the cluster: Kubernetes events (and one log line each),
 * Slack through the policy's webhook Secrets, the lumen_ metrics, Alertmanager, and the removal of
 * consumed steering annotations.
 */
final class PolicyReporting implements PolicySink {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyReporting.class);

  private final KubeStatusStore<LumenPolicy, LumenPolicyStatus> store;
  private final Shell shell;
  private final ClusterReferences references;
  private final KubernetesClient client;
  private final Collection<SLOTarget> sloTargets;

  PolicyReporting(
      KubeStatusStore<LumenPolicy, LumenPolicyStatus> store,
      Shell shell,
      ClusterReferences references,
      KubernetesClient client,
      Collection<SLOTarget> sloTargets) {
    this.store = store;
    this.shell = shell;
    this.references = references;
    this.client = client;
    this.sloTargets = sloTargets;
  }

  @Override
  public void event(boolean warning, String reason, String message) {
    LumenPolicy policy = store.resource();
    if (warning) {
      LOG.warn("{} {}: {}", LumenPolicyReconciler.owner(policy), reason, message);
    } else {
      LOG.info("{} {}: {}", LumenPolicyReconciler.owner(policy), reason, message);
    }
    shell.events().record(policy, warning, reason, message);
  }

  @Override
  public void notify(Severity severity, String kind, String message) {
    LumenPolicy policy = store.resource();
    String namespace = policy.getMetadata().getNamespace();
    shell
        .announcer()
        .slack(
            references.slackChannels(namespace, policy.getSpec().notifications()),
            new Notification(
                namespace,
                "LumenPolicy/" + policy.getMetadata().getName(),
                policy.getSpec().service().cloudRun().name(),
                severity,
                kind,
                message));
  }

  @Override
  public void failed(RuntimeException failure) {
    LOG.error("{}: the cycle failed", LumenPolicyReconciler.owner(store.resource()), failure);
    shell.metrics().reconcileFailed(LumenPolicyReconciler.NAME, failure);
  }

  @Override
  public void decided(String kind, boolean enforced) {
    shell.metrics().decision(store.resource(), kind, enforced);
    if (enforced) {
      shell.figures().ifPresent(f -> f.decision(store.resource(), kind));
    }
  }

  @Override
  public void removeAnnotations(List<String> keys) {
    Steering.remove(client, store.resource(), keys);
  }

  @Override
  public void report(LumenPolicyStatus status) {
    LumenPolicy policy = store.resource();
    shell.metrics().record(policy);
    shell.figures().ifPresent(f -> f.record(policy));
    HttpEndpoint alertmanager =
        Alerts.alertmanagerUrl(policy.getSpec() == null ? null : policy.getSpec().notifications())
            .map(
                url ->
                    new HttpEndpoint(
                        url,
                        references.authorization(
                            policy.getMetadata().getNamespace(),
                            policy.getSpec().notifications().alertmanager().auth())))
            .orElse(null);
    var alerts = new LinkedHashMap<>(Alerts.of(policy));
    sloTargets.forEach(t -> Alerts.addBudgetBurn(alerts, policy, t));
    shell
        .announcer()
        .alerts(LumenPolicyReconciler.owner(policy), alertmanager, alerts, shell.clock().instant());
  }
}
