package dev.lumen.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.clock.VirtualClock;
import dev.lumen.metrics.LumenPrometheusRegistry;
import dev.lumen.ports.Backends;
import dev.lumen.ports.CloudRunServices;
import dev.lumen.ports.FakeCloudRun;
import dev.lumen.ports.FakeMetrics;
import dev.lumen.ports.ForwardingCloudRunServices;
import dev.lumen.ports.InMemoryCacheStore;
import dev.lumen.reconciler.Pacing;
import dev.lumen.reconciler.ReadyConditions;
import dev.lumen.tenancy.Tenancy;
import dev.lumen.testkit.Await;
import dev.lumen.testkit.kube.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two operators split one fleet with {@code --shard 0/2} and {@code 1/2} on the embedded API
 * server: each serves exactly its own resources, and a shard that is down leaves only its own
 * waiting until it is back.
 */
class ShardsTest {
  static final Instant START = Instant.parse("2026-12-06T12:00:00Z");
  static final int SERVICES = 12;
  static final List<String> NAMESPACES = List.of("team-a", "team-b");

  final FakeCloudRun cloudRun = new FakeCloudRun();
  final EmbeddedApiServer api = EmbeddedApiServer.start();
  final KubernetesClient client = api.newClient();
  final List<Running> running = new ArrayList<>();

  /** One operator, its metrics and the services it read. */
  record Running(
      LumenOperator operator, PrometheusMeterRegistry registry, Map<String, AtomicInteger> reads) {
    /** The resources whose gauges this operator's /metrics serves: those it reconciled. */
    Set<String> served(String family, String nameLabel) {
      Pattern series =
          Pattern.compile(
              "^" + family + "\\{.*namespace=\"([^\"]*)\".*[{,]" + nameLabel + "=\"([^\"]*)\"",
              Pattern.MULTILINE);
      return series
          .matcher(registry.scrape())
          .results()
          .map(m -> m.group(1) + "/" + m.group(2))
          .collect(Collectors.toCollection(TreeSet::new));
    }

    int reads(Set<String> services) {
      return services.stream()
          .mapToInt(s -> reads.getOrDefault(s, new AtomicInteger()).get())
          .sum();
    }
  }

  @AfterEach
  void stop() {
    running.forEach(r -> r.operator().close());
    client.close();
    api.close();
  }

  @Test
  void twoShardsSplitTheFleetWithNoOverlapAndNoGap() {
    createFleet();
    var first = start(new Shard(0, 2));
    var second = start(new Shard(1, 2));

    for (String resource : all()) {
      awaitReady(LumenPolicy.class, resource);
      awaitReady(SLOTarget.class, resource);
    }
    Await.until(
        () ->
            first.served("lumen_slo_condition", "slotarget").size()
                + second.served("lumen_slo_condition", "slotarget").size(),
        n -> n == all().size(),
        "every SLOTarget reported by a shard");

    assertThat(first.served("lumen_policy_condition", "policy")).isEqualTo(ofShard(0));
    assertThat(second.served("lumen_policy_condition", "policy")).isEqualTo(ofShard(1));
    assertThat(first.served("lumen_slo_condition", "slotarget")).isEqualTo(ofShard(0));
    assertThat(second.served("lumen_slo_condition", "slotarget")).isEqualTo(ofShard(1));
    assertThat(ofShard(0)).isNotEmpty();
    assertThat(ofShard(1)).isNotEmpty();
    assertThat(first.reads(services(ofShard(1)))).as("shard 0 reads none of shard 1's").isZero();
    assertThat(second.reads(services(ofShard(0)))).as("shard 1 reads none of shard 0's").isZero();
  }

  @Test
  void aShardThatIsDownLeavesOnlyItsOwnWaitingUntilItIsBack() {
    createFleet();
    var first = start(new Shard(0, 2));
    var second = start(new Shard(1, 2));
    for (String resource : all()) {
      awaitReady(LumenPolicy.class, resource);
    }
    Set<String> secondsServices = services(ofShard(1));
    Set<String> firstsServices = services(ofShard(0));

    second.operator().close();
    running.remove(second);
    int firstBefore = first.reads(firstsServices);
    sleep(Duration.ofSeconds(4));

    assertThat(first.reads(firstsServices))
        .as("shard 0 goes on evaluating its own (a minute is a second here)")
        .isGreaterThan(firstBefore);
    assertThat(first.reads(secondsServices)).as("and does not take shard 1's").isZero();

    var back = start(new Shard(1, 2));
    Await.until(
        () -> back.reads(secondsServices),
        n -> n >= 2 * secondsServices.size(),
        "shard 1's services evaluated again once it is back");
    assertThat(back.reads(firstsServices)).isZero();
  }

  Running start(Shard shard) {
    Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
    var registry = new LumenPrometheusRegistry();
    var backends =
        new Backends(
            new Recording(cloudRun, reads),
            new FakeMetrics(),
            url -> new InMemoryCacheStore(),
            Backends.noPrometheus());
    var operator =
        LumenOperator.start(
            client,
            OperatorSettings.defaults()
                .withReconcileThreads(2)
                .withPacing(new Pacing(60))
                .withTenancy(Tenancy.Mode.single_team)
                .withShard(shard),
            new VirtualClock(START),
            registry,
            backends);
    var started = new Running(operator, registry, reads);
    running.add(started);
    return started;
  }

  /** A policy and an SLOTarget of the same name per service, each service in its own project. */
  void createFleet() {
    for (int i = 0; i < SERVICES; i++) {
      String namespace = NAMESPACES.get(i % NAMESPACES.size());
      var service = new CloudRunServiceReference("project-" + i, "europe-west1", "web-" + i);
      cloudRun.create(service, "web-" + i + "-00001", START.minus(Duration.ofDays(1)));
      String spec =
          "spec:\n  service: {cloudRun: {project: project-"
              + i
              + ", region: europe-west1, name: web-"
              + i
              + "}}\n";
      create(
          namespace,
          "apiVersion: lumen.dev/v1alpha1\nkind: LumenPolicy\nmetadata: {name: web-"
              + i
              + "}\n"
              + spec
              + "  mode: DryRun\n");
      create(
          namespace,
          "apiVersion: lumen.dev/v1alpha1\nkind: SLOTarget\nmetadata: {name: web-"
              + i
              + "}\n"
              + spec
              + "  objectives: [{name: availability, availability: {target: \"99.5\"}}]\n");
    }
  }

  static Set<String> all() {
    Set<String> all = new TreeSet<>();
    for (int i = 0; i < SERVICES; i++) {
      all.add(NAMESPACES.get(i % NAMESPACES.size()) + "/web-" + i);
    }
    return all;
  }

  static Set<String> ofShard(int index) {
    return all().stream()
        .filter(r -> Shard.of(r.split("/")[0], r.split("/")[1], 2) == index)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** The Cloud Run services of these resources (each names its own, web-i). */
  static Set<String> services(Set<String> resources) {
    return resources.stream()
        .map(r -> r.split("/")[1])
        .map(
            name ->
                "projects/project-"
                    + name.substring(4)
                    + "/locations/europe-west1/services/"
                    + name)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  void create(String namespace, String yaml) {
    for (HasMetadata item :
        client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items()) {
      client.resource(item).inNamespace(namespace).create();
    }
  }

  <T extends HasMetadata> void awaitReady(Class<T> kind, String resource) {
    String[] parts = resource.split("/");
    ReadyConditions.await(client, kind, parts[0], parts[1], Condition.Status.True);
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Cloud Run with the services each operator read counted. */
  static final class Recording extends ForwardingCloudRunServices {
    final Map<String, AtomicInteger> reads;

    Recording(CloudRunServices delegate, Map<String, AtomicInteger> reads) {
      super(delegate);
      this.reads = reads;
    }

    @Override
    public ServiceState get(CloudRunServiceReference service) {
      reads.computeIfAbsent(service.resourceName(), k -> new AtomicInteger()).incrementAndGet();
      return delegate.get(service);
    }

    @Override
    public Map<String, ServiceState> list(String project, String region) {
      throw new AssertionError("each service has a project of its own: nothing is listed");
    }
  }
}
