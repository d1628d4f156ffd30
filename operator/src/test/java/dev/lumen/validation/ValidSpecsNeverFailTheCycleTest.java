package dev.lumen.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lumen.act.ChangeApplier;
import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.LumenPolicySpec;
import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.api.v1alpha1.SLOTargetSpec;
import dev.lumen.api.v1alpha1.SLOTargetStatus;
import dev.lumen.clock.VirtualClock;
import dev.lumen.cycle.DecisionSink;
import dev.lumen.cycle.HeldStatus;
import dev.lumen.cycle.PolicyCycle;
import dev.lumen.cycle.PolicySink;
import dev.lumen.cycle.Readiness;
import dev.lumen.cycle.SloCycle;
import dev.lumen.engine.Severity;
import dev.lumen.engine.rollout.Command;
import dev.lumen.engine.rollout.PolicyEngine;
import dev.lumen.observe.BatchedMetrics;
import dev.lumen.observe.CacheReadings;
import dev.lumen.observe.PolicyObserver;
import dev.lumen.observe.ServiceListings;
import dev.lumen.observe.SloObserver;
import dev.lumen.ports.Backends;
import dev.lumen.ports.FakeCloudRun;
import dev.lumen.ports.FakeMetrics;
import dev.lumen.ports.InMemoryCacheStore;
import dev.lumen.testkit.world.SimCache;
import dev.lumen.testkit.world.SimWorld;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Property: a spec that validation accepts never fails a cycle. Specs are drawn from the CRDs' own
 * schema, kept when the validator (schema, CEL, semantic checks) accepts them, and run for an hour
 * of simulated time against a service that gets a healthy or a failing canary, with commands
 * arriving at random. No cycle may end in {@code ReconcileFailing}.
 */
class ValidSpecsNeverFailTheCycleTest {
  static final ResourceValidator VALIDATOR = new ResourceValidator(CrdSchemas.load());
  static final Instant START = Instant.parse("2026-12-01T00:00:00Z");
  static final CloudRunServiceReference WEB =
      new CloudRunServiceReference("my-project", "us-central1", "web");
  static final int SPECS = 120;
  static final SimCache.Usage USAGE =
      new SimCache.Usage("lumen:ttl:web", Duration.ofMinutes(5), Duration.ofMinutes(10), 10_000);
  static final int MINUTES = 60;

  @Test
  void noValidLumenPolicyFailsACycle() {
    drawValidAndRun("LumenPolicy", LumenPolicy.class, ValidSpecsNeverFailTheCycleTest::runPolicy);
  }

  @Test
  void noValidSloTargetFailsACycle() {
    drawValidAndRun("SLOTarget", SLOTarget.class, ValidSpecsNeverFailTheCycleTest::runSloTarget);
  }

  /** Draws specs until {@link #SPECS} are valid, runs each, and expects no cycle failure. */
  private static <S> void drawValidAndRun(
      String kind,
      Class<? extends dev.lumen.api.v1alpha1.LumenResource<S, ?>> type,
      BiFunction<Long, S, Optional<String>> run) {
    List<String> failures = new ArrayList<>();
    int valid = 0;
    for (long seed = 0; valid < SPECS && seed < SPECS * 40L; seed++) {
      Optional<S> spec = validSpec(seed, kind, type);
      if (spec.isPresent()) {
        valid++;
        run.apply(seed, spec.get()).ifPresent(failures::add);
      }
    }
    assertThat(valid).as("valid specs drawn").isEqualTo(SPECS);
    assertThat(failures).isEmpty();
  }

  @SuppressWarnings("unchecked")
  private static <S> Optional<S> validSpec(
      long seed, String kind, Class<? extends dev.lumen.api.v1alpha1.LumenResource<S, ?>> type) {
    var sampler = new SchemaSampler(seed);
    JsonNode schema = CrdSchemas.load().schemaOf(kind).orElseThrow();
    ObjectNode resource = JsonNodeFactory.instance.objectNode();
    resource.put("apiVersion", ResourceValidator.API_VERSION).put("kind", kind);
    resource.putObject("metadata").put("name", "web").put("namespace", "default");
    ObjectNode spec = (ObjectNode) sampler.sample(schema.path("properties").path("spec"));
    spec.putObject("service")
        .putObject("cloudRun")
        .put("project", WEB.project())
        .put("region", WEB.region())
        .put("name", WEB.name());
    resource.set("spec", spec);
    assertThat(sampler.unknownPatterns()).as("patterns without samples").isEmpty();
    Validation validation = VALIDATOR.validate(resource, References.standalone());
    if (!validation.valid()) {
      return Optional.empty();
    }
    return Optional.of(VALIDATOR.typed(validation, type).getSpec());
  }

  private static Optional<String> runPolicy(long seed, LumenPolicySpec spec) {
    var random = new Random(seed);
    var clock = new VirtualClock(START);
    var world = world(seed, random);
    var cache = new InMemoryCacheStore();
    if (spec.tuning() != null && spec.tuning().cacheTtl() != null) {
      world.attachCache(WEB, SimCache.inMemory(cache, USAGE));
    }
    var backends = backends(world, cache);
    var listings = new ServiceListings(clock);
    var cycle =
        new PolicyCycle(
            new PolicyEngine(),
            new PolicyObserver(
                backends,
                new BatchedMetrics(clock),
                listings,
                new CacheReadings(),
                Duration.ofMinutes(1)),
            new ChangeApplier(backends, listings),
            clock,
            Duration.ofSeconds(10));
    var store = new HeldStatus<LumenPolicyStatus>(null);
    var sink = new PolicyFailureSink();
    for (int minute = 1; minute <= MINUTES; minute++) {
      clock.set(START.plus(Duration.ofMinutes(minute)));
      world.advanceTo(clock.instant());
      if (minute == 3) {
        world.deploy(
            WEB,
            "web-00002",
            random.nextBoolean() ? SimWorld.Behaviour.HEALTHY : new SimWorld.Behaviour(0.2, 400, 0),
            clock.instant());
      }
      Set<Command> commands = EnumSet.noneOf(Command.class);
      if (random.nextInt(8) == 0) {
        commands.add(Command.values()[random.nextInt(Command.values().length)]);
      }
      cycle.run(
          new PolicyCycle.Input(
              "LumenPolicy/default/web",
              "uid-web",
              1,
              spec,
              Readiness.accepted("Spec accepted"),
              commands,
              Optional.of(URI.create("redis://cache:6379")),
              Map.of()),
          store,
          sink);
      Optional<String> failure = sink.failure(seed, minute, spec, store.current().getConditions());
      if (failure.isPresent()) {
        return failure;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> runSloTarget(long seed, SLOTargetSpec spec) {
    var random = new Random(seed);
    var clock = new VirtualClock(START);
    var world = world(seed, random);
    var cache = new InMemoryCacheStore();
    world.attachCache(WEB, SimCache.inMemory(cache, USAGE));
    var cycle =
        new SloCycle(
            new SloObserver(
                backends(world, cache),
                new BatchedMetrics(clock),
                new CacheReadings(),
                Duration.ofMinutes(1)),
            clock);
    var store = new HeldStatus<SLOTargetStatus>(null);
    var sink = new FailureSink<SLOTargetStatus>();
    for (int minute = 1; minute <= MINUTES; minute++) {
      clock.set(START.plus(Duration.ofMinutes(minute)));
      world.advanceTo(clock.instant());
      cycle.run(
          new SloCycle.Input(
              "SLOTarget/default/web",
              "uid-web",
              1,
              spec,
              Readiness.accepted("Spec accepted"),
              conditions -> conditions,
              Optional.empty()),
          store,
          sink);
      Optional<String> failure = sink.failure(seed, minute, spec, store.current().getConditions());
      if (failure.isPresent()) {
        return failure;
      }
    }
    return Optional.empty();
  }

  private static SimWorld world(long seed, Random random) {
    var world = new SimWorld(new FakeCloudRun(), new FakeMetrics(), seed, START);
    double[] loads = {0, 5, 120, 6000};
    world.addService(
        WEB, "web-00001", loads[random.nextInt(loads.length)], START.minusSeconds(86400));
    return world;
  }

  /** The world's metrics serve as Cloud Monitoring and as Prometheus alike. */
  private static Backends backends(SimWorld world, InMemoryCacheStore cache) {
    FakeMetrics metrics = world.metrics();
    return new Backends(world.cloudRun(), metrics, url -> cache, url -> metrics);
  }

  /** Remembers the first cycle failure; everything else a cycle reports is of no interest here. */
  static class FailureSink<S> implements DecisionSink<S> {
    private RuntimeException failure;

    @Override
    public void event(boolean warning, String reason, String message) {}

    @Override
    public void notify(Severity severity, String kind, String message) {}

    @Override
    public void report(S status) {}

    @Override
    public void failed(RuntimeException failure) {
      if (this.failure == null) {
        this.failure = failure;
      }
    }

    Optional<String> failure(long seed, int minute, Object spec, List<Condition> conditions) {
      boolean failing =
          conditions != null
              && conditions.stream().anyMatch(c -> "ReconcileFailing".equals(c.reason()));
      if (failure == null && !failing) {
        return Optional.empty();
      }
      return Optional.of(
          "seed "
              + seed
              + ", minute "
              + minute
              + ": "
              + (failure == null ? conditions : failure)
              + "\n  spec: "
              + spec);
    }
  }

  static final class PolicyFailureSink extends FailureSink<LumenPolicyStatus>
      implements PolicySink {
    @Override
    public void decided(String kind, boolean enforced) {}

    @Override
    public void removeAnnotations(List<String> keys) {}
  }
}
