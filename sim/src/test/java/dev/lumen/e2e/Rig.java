package dev.lumen.e2e;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import dev.lumen.clock.FastClock;
import dev.lumen.ports.Backends;
import dev.lumen.ports.CloudRunServices;
import dev.lumen.runtime.LumenOperator;
import dev.lumen.runtime.OperatorSettings;
import dev.lumen.sim.PolicyYaml;
import dev.lumen.sim.SimulatedCluster;
import dev.lumen.sim.SimulatedGoogle;
import dev.lumen.testkit.Await;
import dev.lumen.testkit.kube.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * What the end-to-end tests run on: the embedded API server, the simulated world behind the
 * loopback Cloud Run and Monitoring servers, and a fast clock. Operators are started on it with
 * Lumen's real Google adapters; each test uses its own namespace, named after its policy.
 */
final class Rig implements AutoCloseable {
  static final Instant START = Instant.parse("2026-03-02T10:00:00Z");
  static final Duration WAIT = Duration.ofSeconds(60);
  static final Duration GOOGLE_DEADLINE = Duration.ofSeconds(5);

  final double speed;
  final FastClock clock;
  final SimulatedCluster cluster;
  final EmbeddedApiServer api;
  final KubernetesClient client;
  final SimulatedGoogle google;

  Rig(double speed, long seed) {
    this.speed = speed;
    this.clock = new FastClock(START, speed);
    this.cluster = SimulatedCluster.start(clock, seed, Duration.ofMillis(20));
    this.api = cluster.api();
    this.client = cluster.client();
    this.google = cluster.google();
  }

  /** Settings for a test operator: metric data one minute late, requeues paced to the clock. */
  OperatorSettings settings() {
    return cluster.settings();
  }

  /** Fresh Google clients for one operator; the operator closes them when it stops. */
  Backends backends(MeterRegistry registry, UnaryOperator<CloudRunServices> wrapCloudRun) {
    return cluster.backends(registry, wrapCloudRun);
  }

  LumenOperator operator(MeterRegistry registry) {
    return cluster.startOperator(registry);
  }

  /** A Cloud Run service whose first revision serves 10 requests a second. */
  CloudRunServiceReference service(String name) {
    return service(name, 600);
  }

  CloudRunServiceReference service(String name, double requestsPerMinute) {
    var ref = new CloudRunServiceReference("e2e-project", "europe-west1", name);
    google
        .world()
        .addService(ref, name + "-00001", requestsPerMinute, START.minus(Duration.ofDays(1)));
    return ref;
  }

  static String policy(String name, CloudRunServiceReference ref, String mode, String rest) {
    return PolicyYaml.of(name, ref, mode, rest);
  }

  void apply(String namespace, String yaml) {
    client
        .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
        .inNamespace(namespace)
        .create();
  }

  void secret(String namespace, String name, Map<String, String> values) {
    client
        .secrets()
        .inNamespace(namespace)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withStringData(values)
                .build())
        .create();
  }

  List<Event> events(String namespace) {
    return client.v1().events().inNamespace(namespace).list().getItems();
  }

  /** Like {@code kubectl patch --type merge -p '{"spec":{"mode":...}}'}. */
  void setMode(String name, String mode) {
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    patch.putObject("spec").put("mode", mode);
    client
        .resources(LumenPolicy.class)
        .inNamespace(name)
        .withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
  }

  /**
   * Like {@code kubectl annotate}: a merge patch without resourceVersion, so it never conflicts.
   */
  void annotate(String name, String annotation) {
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    patch.putObject("metadata").putObject("annotations").put(annotation, "");
    client
        .resources(LumenPolicy.class)
        .inNamespace(name)
        .withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
  }

  Map<String, String> annotations(String name) {
    return client
        .resources(LumenPolicy.class)
        .inNamespace(name)
        .withName(name)
        .get()
        .getMetadata()
        .getAnnotations();
  }

  LumenPolicyStatus policyStatus(String name) {
    LumenPolicy p = client.resources(LumenPolicy.class).inNamespace(name).withName(name).get();
    return p == null ? null : p.getStatus();
  }

  void awaitReady(String name) {
    awaitStatus(name, s -> isTrue(s.getConditions(), Conditions.READY));
  }

  /** A status that passes {@code test} once Lumen has made the changes it recorded. */
  LumenPolicyStatus awaitStatus(String name, Predicate<LumenPolicyStatus> test) {
    return awaitAnyStatus(name, s -> s.getPending() == null && test.test(s));
  }

  /** A status that passes {@code test}, whether or not it records changes not made yet. */
  LumenPolicyStatus awaitAnyStatus(String name, Predicate<LumenPolicyStatus> test) {
    return Await.until(
        () -> Optional.ofNullable(policyStatus(name)).filter(test).orElse(null),
        WAIT,
        "status of policy " + name);
  }

  /** Lets {@code clockTime} pass on the fast clock. */
  void let(Duration clockTime) {
    Instant until = clock.instant().plus(clockTime);
    Await.until(() -> clock.instant().isAfter(until) ? true : null, WAIT, clockTime + " to pass");
  }

  /** The traffic splits Lumen set on {@code ref}, in order. */
  List<Map<String, Integer>> trafficChanges(CloudRunServiceReference ref) {
    String prefix = ref.name() + "-";
    return google.cloudRun().trafficChanges().stream()
        .filter(split -> split.keySet().stream().allMatch(r -> r.startsWith(prefix)))
        .toList();
  }

  static boolean isTrue(List<Condition> conditions, String type) {
    return conditions.stream()
        .anyMatch(c -> c.type().equals(type) && c.status() == Condition.Status.True);
  }

  static Condition condition(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> c.type().equals(type)).findFirst().orElseThrow();
  }

  static Instant decisionTime(LumenPolicyStatus status, String action) {
    return status.getRecentDecisions().stream()
        .filter(d -> d.action().equals(action))
        .map(d -> Instant.parse(d.time()))
        .reduce((newer, older) -> older)
        .orElseThrow();
  }

  @Override
  public void close() {
    cluster.close();
  }
}
