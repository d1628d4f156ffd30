package dev.lumen.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.LumenProjectBinding;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.clock.VirtualClock;
import dev.lumen.ports.Backends;
import dev.lumen.ports.CloudRunServices;
import dev.lumen.ports.FakeCloudRun;
import dev.lumen.ports.FakeMetrics;
import dev.lumen.ports.InMemoryCacheStore;
import dev.lumen.reconciler.Pacing;
import dev.lumen.reconciler.ReadyConditions;
import dev.lumen.runtime.LumenOperator;
import dev.lumen.runtime.OperatorSettings;
import dev.lumen.testkit.kube.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator in its default, bound mode on the embedded API server: a resource acts on a project
 * only while a LumenProjectBinding gives it to the resource's namespace, and Lumen makes no Google
 * call for one that is not bound.
 */
class TenancyTest {
  static final Instant START = Instant.parse("2026-12-05T12:00:00Z");
  static final CloudRunServiceReference CHECKOUT =
      new CloudRunServiceReference("payments-prod", "europe-west1", "checkout");
  static final FakeCloudRun CLOUD_RUN = new FakeCloudRun();
  static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();
  static EmbeddedApiServer api;
  static KubernetesClient client;
  static LumenOperator operator;

  @BeforeAll
  static void startOperator() {
    CLOUD_RUN.create(CHECKOUT, "checkout-00001", START.minus(Duration.ofDays(1)));
    api = EmbeddedApiServer.start();
    client = api.newClient();
    var backends =
        new Backends(
            new Counting(CLOUD_RUN),
            new FakeMetrics(),
            url -> new InMemoryCacheStore(),
            Backends.noPrometheus());
    operator =
        LumenOperator.start(
            client,
            // Sixty times faster than real time: a one-minute cycle takes a second.
            OperatorSettings.defaults().withReconcileThreads(2).withPacing(new Pacing(60)),
            new VirtualClock(START),
            new SimpleMeterRegistry(),
            backends);
  }

  @AfterAll
  static void stopOperator() {
    operator.close();
    client.close();
    api.close();
  }

  @Test
  void anUnboundProjectIsNeverCalledUntilABindingAllowsItAndAgainOnceItIsDeleted() {
    apply("team-a", resource("LumenPolicy", "checkout"));
    apply("team-a", resource("SLOTarget", "checkout"));

    Condition refused = awaitReady(LumenPolicy.class, "team-a", "checkout", Condition.Status.False);
    assertThat(refused.reason()).isEqualTo(Conditions.REASON_PROJECT_NOT_BOUND);
    assertThat(refused.message())
        .startsWith(
            "spec.service.cloudRun: no LumenProjectBinding binds project payments-prod to"
                + " namespace team-a");
    assertThat(awaitReady(SLOTarget.class, "team-a", "checkout", Condition.Status.False).reason())
        .isEqualTo(Conditions.REASON_PROJECT_NOT_BOUND);
    assertThat(calls()).as("Google calls for the unbound project").isZero();

    apply(null, binding("payments", "namespaces: [team-a]", ""));
    awaitReady(LumenPolicy.class, "team-a", "checkout", Condition.Status.True);
    awaitReady(SLOTarget.class, "team-a", "checkout", Condition.Status.True);
    assertThat(calls()).isPositive();

    client.resources(LumenProjectBinding.class).withName("payments").delete();
    awaitReady(LumenPolicy.class, "team-a", "checkout", Condition.Status.False);
    awaitReady(SLOTarget.class, "team-a", "checkout", Condition.Status.False);
    int after = calls();
    sleep(Duration.ofSeconds(1));
    assertThat(calls()).as("no call once the binding is gone").isEqualTo(after);
  }

  @Test
  void aBindingNarrowedToOtherServicesSaysWhichAndALabelSelectorBinds() {
    apply(null, binding("payments-narrow", "namespaces: [team-b]", "  services: [pay-*]\n"));
    apply("team-b", resource("LumenPolicy", "narrow"));

    // Refused at first either way; the narrowing is named once the binding's informer has it.
    Condition refused =
        dev.lumen.testkit.Await.until(
                () -> ReadyConditions.of(client, LumenPolicy.class, "team-b", "narrow"),
                c ->
                    c.isPresent()
                        && c.get().status() == Condition.Status.False
                        && c.get().message().contains("payments-narrow"),
                "LumenPolicy team-b/narrow refused naming the narrowed binding")
            .orElseThrow();
    assertThat(refused.message())
        .contains(
            "LumenProjectBinding \"payments-narrow\" binds project payments-prod to namespace"
                + " team-b for services [pay-*] only, not checkout");

    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName("team-c")
                .withLabels(Map.of("team", "payments"))
                .endMetadata()
                .build())
        .create();
    apply(
        null,
        binding("payments-by-label", "namespaceSelector: {matchLabels: {team: payments}}", ""));
    CLOUD_RUN.create(
        new CloudRunServiceReference("payments-prod", "europe-west1", "ledger"),
        "ledger-00001",
        START.minus(Duration.ofDays(1)));
    apply(
        "team-c", resource("LumenPolicy", "labelled").replace("name: checkout}", "name: ledger}"));
    awaitReady(LumenPolicy.class, "team-c", "labelled", Condition.Status.True);
  }

  static int calls() {
    return CALLS.getOrDefault(CHECKOUT.resourceName(), new AtomicInteger()).get();
  }

  static String resource(String kind, String name) {
    String rest =
        kind.equals("SLOTarget")
            ? "  objectives: [{name: availability, availability: {target: \"99.5\"}}]\n"
            : "  mode: DryRun\n";
    return "apiVersion: lumen.dev/v1alpha1\nkind: "
        + kind
        + "\nmetadata: {name: "
        + name
        + "}\nspec:\n  service: {cloudRun: {project: payments-prod, region: europe-west1, name:"
        + " checkout}}\n"
        + rest;
  }

  static String binding(String name, String namespaces, String more) {
    return "apiVersion: lumen.dev/v1alpha1\nkind: LumenProjectBinding\nmetadata: {name: "
        + name
        + "}\nspec:\n  "
        + namespaces
        + "\n  projects: [payments-prod]\n"
        + more;
  }

  static void apply(String namespace, String yaml) {
    Manifests.create(client, namespace, yaml);
  }

  static <T extends HasMetadata> Condition awaitReady(
      Class<T> kind, String namespace, String name, Condition.Status status) {
    return ReadyConditions.await(client, kind, namespace, name, status);
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Counts the Cloud Run calls made for each service. */
  record Counting(CloudRunServices delegate) implements CloudRunServices {
    @Override
    public ServiceState get(CloudRunServiceReference service) {
      count(service);
      return delegate.get(service);
    }

    @Override
    public Map<String, ServiceState> list(String project, String region) {
      Map<String, ServiceState> listed = delegate.list(project, region);
      listed.keySet().forEach(name -> count(new CloudRunServiceReference(project, region, name)));
      return listed;
    }

    @Override
    public List<RevisionInfo> revisions(CloudRunServiceReference service) {
      count(service);
      return delegate.revisions(service);
    }

    @Override
    public void setTraffic(
        CloudRunServiceReference service, Map<String, Integer> split, Map<String, String> tags) {
      count(service);
      delegate.setTraffic(service, split, tags);
    }

    @Override
    public void setMinInstances(CloudRunServiceReference service, int count) {
      count(service);
      delegate.setMinInstances(service, count);
    }

    @Override
    public void close() {}

    private static void count(CloudRunServiceReference service) {
      CALLS.computeIfAbsent(service.resourceName(), k -> new AtomicInteger()).incrementAndGet();
    }
  }
}
