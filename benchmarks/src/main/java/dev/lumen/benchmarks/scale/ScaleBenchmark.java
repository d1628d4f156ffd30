package dev.lumen.benchmarks.scale;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.clock.FastClock;
import dev.lumen.metrics.LumenPrometheusRegistry;
import dev.lumen.quota.GoogleCallQuotas;
import dev.lumen.runtime.CommonPool;
import dev.lumen.runtime.OperatorSettings;
import dev.lumen.sim.SimulatedCluster;
import dev.lumen.sim.SimulatedGoogle;
import dev.lumen.testkit.world.SimWorld.Behaviour;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * One operator, {@code policies} LumenPolicies and as many SLOTargets over as many simulated Cloud
 * Run services in {@code projects} projects, on the embedded API server with the loopback Google
 * fakes and Lumen's real clients. Prints the time until every resource is Ready and measured, the
 * Google calls per evaluation minute, reconcile durations, heap and CPU.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.lumen.benchmarks.scale.ScaleBenchmark \
 *     [policies=1000] [projects=10] [minutes=5] [speed=10] [canaries=100] [warmup=1] [figures=0]
 *     [reactions=10]
 * </pre>
 *
 * <p>The first {@code reactions} canaries break once they serve ({@link Reactions}): their services
 * serve 100 requests a second and roll back with no grace period, and the time from the regression
 * being visible to traffic back on stable is printed against its goal.
 *
 * <p>With {@code figures=1} the operator also writes its figures as Cloud Monitoring custom metrics
 * (--cloud-monitoring-figures) through the real client to the loopback fake, and the
 * CreateTimeSeries calls and points a minute are printed.
 *
 * <p>The measured minutes follow {@code warmup} clock minutes; the canaries are deployed in the
 * last of them. Short metric windows are added up from an hour of one-minute reads, so the
 * Monitoring figure reaches its steady state after 61 minutes of warm-up; the warm-up's own rate is
 * printed too.
 *
 * <p>The clock runs {@code speed} times faster than real time (so do the operator's requeues), and
 * the call quotas are scaled by the same factor: a clock minute is what the figures call a minute.
 * The API server, the simulated world and the Google fakes live in the same JVM; the heap the
 * operator adds is measured against the heap of the world alone, before the operator starts.
 */
public final class ScaleBenchmark {
  static final Instant START = Instant.parse("2026-03-02T10:00:00Z");
  static final Duration DEADLINE = Duration.ofSeconds(5);
  static final Duration READY_TIMEOUT = Duration.ofMinutes(10);

  private ScaleBenchmark() {}

  public static void main(String[] args) throws Exception {
    // As the operator's own main does: the embedded API server's clients are JDK HTTP clients too.
    CommonPool.atLeastTwoThreads();
    int policies = arg(args, 0, 1000);
    int projects = arg(args, 1, 10);
    int minutes = arg(args, 2, 5);
    int speed = arg(args, 3, 10);
    int canaries = arg(args, 4, 100);
    int warmup = arg(args, 5, 1);
    boolean figures = arg(args, 6, 0) == 1;
    int reactions = Math.min(arg(args, 7, 10), canaries);

    var clock = new FastClock(START, speed);
    try (var cluster = SimulatedCluster.start(clock, 1, Duration.ofMillis(200))) {
      var client = cluster.client();
      var google = cluster.google();
      List<CloudRunServiceReference> services =
          populate(client, google, policies, projects, reactions);
      long worldHeap = heapAfterGc();

      // The operator's own registry, so that its /metrics scrape can be timed.
      var registry = new LumenPrometheusRegistry();
      var quotas =
          new GoogleCallQuotas(
              GoogleCallQuotas.DEFAULT_CALLS_PER_MINUTE * speed,
              GoogleCallQuotas.DEFAULT_CALLS_PER_MINUTE * speed,
              DEADLINE,
              // One namespace per project here: the namespaces' shares are not what is measured.
              1.0);
      // The default number of reconcile threads, as a production operator has.
      var settings =
          cluster.settings().withReconcileThreads(OperatorSettings.defaults().reconcileThreads());
      long started = System.nanoTime();
      UnaryOperator<dev.lumen.ports.Backends> extend =
          figures
              ? b -> b.withFigureWriter(google.monitoringClient(DEADLINE))
              : UnaryOperator.identity();
      try (var operator =
          cluster.startOperator(settings, registry, UnaryOperator.identity(), quotas, extend)) {
        double startSeconds = (System.nanoTime() - started) / 1e9;
        double readySeconds = awaitAllReady(client, 2 * policies, started);

        // The warm-up fills the hour of minute reads; the canaries start in its last minute, so
        // the measured minutes see their rollouts.
        var warmingUp = Snapshot.take(registry);
        Instant warmupFrom = clock.instant();
        sleepClock(clock, Duration.ofMinutes(Math.max(0, warmup - 1)));
        Map<CloudRunServiceReference, String> breaking = new HashMap<>();
        for (int i = 0; i < canaries && i < services.size(); i++) {
          var ref = services.get(i);
          google.world().deploy(ref, ref.name() + "-00002", Behaviour.HEALTHY, clock.instant());
          if (i < reactions) {
            breaking.put(ref, ref.name() + "-00002");
          }
        }
        var reacting = new Reactions(google.world(), clock, breaking);
        sleepClock(clock, Duration.ofMinutes(Math.min(1, warmup)));
        var before = Snapshot.take(registry);
        int writesBefore = google.metrics().writes().size();
        double warmupMinutes = Duration.between(warmupFrom, clock.instant()).toMillis() / 60_000.0;
        Instant measuredFrom = clock.instant();
        sleepClock(clock, Duration.ofMinutes(minutes));
        var after = Snapshot.take(registry);
        var writes = google.metrics().writes();
        var measuredWrites = writes.subList(writesBefore, writes.size());
        double clockMinutes = Duration.between(measuredFrom, clock.instant()).toMillis() / 60_000.0;

        reacting.close();
        var scrape = Scrape.time(registry);
        long withOperator = heapAfterGc();
        operator.close();
        // The API server now also holds every status the operator wrote: that is the world's.
        long operatorHeap = withOperator - heapAfterGc();
        System.out.printf(
            "policies=%d sloTargets=%d services=%d projects=%d canaries=%d speed=%dx%n",
            policies, policies, services.size(), projects, canaries, speed);
        System.out.printf("operator start (informers synced): %.1f s%n", startSeconds);
        System.out.printf(
            "first full cycle (every resource Ready and evaluated): %.1f s real%n", readySeconds);
        System.out.printf(
            "per clock minute, steady state over %.1f min: Monitoring calls %.1f (goal <= %d),"
                + " Cloud Run calls %.1f (goal <= %d), reconciles %.1f (goal >= %d plus what"
                + " canaries need)%n",
            clockMinutes,
            (after.monitoring - before.monitoring) / clockMinutes,
            projects * 4,
            (after.cloudRun - before.cloudRun) / clockMinutes,
            2 * projects,
            (after.reconciles - before.reconciles) / clockMinutes,
            2 * policies);
        System.out.printf(
            "Monitoring calls per clock minute during the %.1f warm-up minutes: %.1f%n",
            warmupMinutes, (before.monitoring - warmingUp.monitoring) / warmupMinutes);
        System.out.printf(
            "quota refusals: %.0f; failed Google calls: %.0f%n",
            after.refusals - before.refusals, after.failedCalls - before.failedCalls);
        after.calls.forEach(
            (method, count) ->
                System.out.printf(
                    "  %s: %.1f a minute%n",
                    method, (count - before.calls.getOrDefault(method, 0.0)) / clockMinutes));
        if (figures) {
          System.out.printf(
              "Lumen's figures: CreateTimeSeries calls %.1f a clock minute (%d projects), %.0f"
                  + " points a clock minute, at most %d series a call%n",
              measuredWrites.size() / clockMinutes,
              projects,
              measuredWrites.stream().mapToInt(w -> w.points().size()).sum() / clockMinutes,
              measuredWrites.stream().mapToInt(w -> w.points().size()).max().orElse(0));
        }
        printTimer(registry, "lumenpolicy");
        printTimer(registry, "slotarget");
        System.out.printf(
            "CPU (whole JVM: operator, API server, world): %.2f cores at %dx, so %.3f cores at"
                + " real time%n",
            (after.cpuNanos - before.cpuNanos) / 1e9 / (clockMinutes * 60 / speed),
            speed,
            (after.cpuNanos - before.cpuNanos) / 1e9 / (clockMinutes * 60));
        System.out.printf(
            "heap after GC: world before the operator %d MiB, with it %d MiB; the operator's"
                + " own %d MiB, %.1f KiB per policy and SLOTarget pair (goal <= 50); peak RSS of"
                + " the JVM %d MiB%n",
            worldHeap >> 20,
            withOperator >> 20,
            operatorHeap >> 20,
            operatorHeap / 1024.0 / policies,
            peakRssKib() >> 10);
        System.out.printf(
            "/metrics scrape over HTTP: %.0f ms median, %.0f ms slowest of %d (goal <= 500 ms);"
                + " %.1f MB; %d series, %.1f per policy and SLOTarget pair%n",
            scrape.medianMillis(),
            scrape.maxMillis(),
            Scrape.TIMES,
            scrape.bytes() / 1e6,
            scrape.series(),
            scrape.series() / (double) policies);
        System.out.println("  largest families: " + String.join(", ", scrape.largestFamilies()));
        var reacted = reacting.seconds().stream().sorted().toList();
        System.out.printf(
            "reaction (regression visible in Monitoring to traffic back on stable, gracePeriod"
                + " 0s): %d of %d rolled back; median %.1f s, slowest %.1f s (goal <= analysis"
                + " interval + data delay + 5 s = %d s)%n",
            reacted.size(),
            reacting.watched(),
            reacted.isEmpty() ? Double.NaN : reacted.get(reacted.size() / 2),
            reacted.isEmpty() ? Double.NaN : reacted.get(reacted.size() - 1),
            60 + settings.metricDataDelay().toSeconds() + 5);
      }
    }
    System.exit(0);
  }

  private static List<CloudRunServiceReference> populate(
      KubernetesClient client, SimulatedGoogle google, int count, int projects, int reactions) {
    var services = new java.util.ArrayList<CloudRunServiceReference>();
    for (int i = 0; i < count; i++) {
      var ref =
          new CloudRunServiceReference("project-" + (i % projects), "europe-west1", "svc-" + i);
      boolean reacting = i < reactions;
      google
          .world()
          .addService(
              ref, ref.name() + "-00001", reacting ? 6000 : 60, START.minus(Duration.ofDays(1)));
      services.add(ref);
      String namespace = "team-" + (i % projects);
      String service =
          "service: {cloudRun: {project: "
              + ref.project()
              + ", region: "
              + ref.region()
              + ", name: "
              + ref.name()
              + "}}";
      apply(
          client,
          namespace,
          "apiVersion: lumen.dev/v1alpha1\nkind: SLOTarget\nmetadata: {name: "
              + ref.name()
              + "}\nspec:\n  "
              + service
              + "\n  objectives:\n    - {name: availability, availability: {target: \"99.5\"}}\n"
              + "    - {name: latency, latency: {percentile: 95, threshold: 500ms}}\n");
      apply(
          client,
          namespace,
          "apiVersion: lumen.dev/v1alpha1\nkind: LumenPolicy\nmetadata: {name: "
              + ref.name()
              + "}\nspec:\n  "
              + service
              + "\n  mode: Enforce\n  sloTargets: ["
              + ref.name()
              + "]\n  rollout:\n    steps: [{weight: 10, pause: 2m}, {weight: 50, pause: 2m},"
              + " {weight: 100}]\n"
              + (reacting ? "    rollback: {gracePeriod: 0s}\n" : "")
              + "  gates: {slo: {failOn: Critical}}\n");
    }
    return services;
  }

  private static void apply(KubernetesClient client, String namespace, String yaml) {
    client
        .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
        .inNamespace(namespace)
        .create();
  }

  private static double awaitAllReady(KubernetesClient client, int resources, long started)
      throws InterruptedException {
    long deadline = started + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      long listing = System.nanoTime();
      int ready =
          countReady(client.resources(SLOTarget.class).inAnyNamespace().list().getItems())
              + countReady(client.resources(LumenPolicy.class).inAnyNamespace().list().getItems());
      if (ready >= resources) {
        return (System.nanoTime() - started) / 1e9;
      }
      // Listing 20,000 resources takes the API server and this thread about a second: polling
      // at most a tenth of the time leaves the CPU to the operator being measured.
      long listed = (System.nanoTime() - listing) / 1_000_000;
      Thread.sleep(Math.max(250, 9 * listed));
    }
    throw new IllegalStateException("not every resource was Ready within " + READY_TIMEOUT);
  }

  private static <R extends HasMetadata> int countReady(List<R> items) {
    int ready = 0;
    for (R item : items) {
      List<Condition> conditions =
          item instanceof LumenPolicy p
              ? p.getStatus() == null ? null : p.getStatus().getConditions()
              : ((SLOTarget) item).getStatus() == null
                  ? null
                  : ((SLOTarget) item).getStatus().getConditions();
      if (conditions != null
          && conditions.stream()
              .anyMatch(c -> c.type().equals("Ready") && c.status() == Condition.Status.True)) {
        ready++;
      }
    }
    return ready;
  }

  private static void sleepClock(FastClock clock, Duration clockTime) throws InterruptedException {
    Instant until = clock.instant().plus(clockTime);
    while (clock.instant().isBefore(until)) {
      Thread.sleep(100);
    }
  }

  private static void printTimer(MeterRegistry registry, String kind) {
    Timer timer = registry.find("lumen.reconcile.duration").tag("kind", kind).timer();
    if (timer == null) {
      return;
    }
    var snapshot = timer.takeSnapshot();
    StringBuilder line = new StringBuilder("reconcile " + kind + ": " + timer.count() + " runs");
    for (ValueAtPercentile p : snapshot.percentileValues()) {
      line.append(
          String.format(
              ", p%.0f %.1f ms", p.percentile() * 100, p.value(TimeUnit.NANOSECONDS) / 1e6));
    }
    line.append(String.format(", max %.1f ms", snapshot.max(TimeUnit.MILLISECONDS)));
    System.out.println(line);
  }

  private static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long peakRssKib() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  private static int arg(String[] args, int index, int fallback) {
    return args.length > index ? Integer.parseInt(args[index]) : fallback;
  }

  /** Counters at one moment. */
  private record Snapshot(
      double monitoring,
      double cloudRun,
      double reconciles,
      double refusals,
      double failedCalls,
      long cpuNanos,
      java.util.SortedMap<String, Double> calls) {
    static Snapshot take(MeterRegistry registry) {
      return new Snapshot(
          sum(registry, "lumen.api.calls", "api", "monitoring.googleapis.com"),
          sum(registry, "lumen.api.calls", "api", "run.googleapis.com"),
          registry.find("lumen.reconcile.duration").timers().stream()
              .mapToDouble(Timer::count)
              .sum(),
          registry.find("lumen.google.quota.exhausted").counters().stream()
              .mapToDouble(Counter::count)
              .sum(),
          registry.find("lumen.api.calls").counters().stream()
              .filter(c -> !"ok".equals(c.getId().getTag("result")))
              .mapToDouble(Counter::count)
              .sum(),
          ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
              .getProcessCpuTime(),
          byMethod(registry));
    }

    private static java.util.SortedMap<String, Double> byMethod(MeterRegistry registry) {
      var calls = new java.util.TreeMap<String, Double>();
      for (Counter c : registry.find("lumen.api.calls").counters()) {
        calls.merge(
            c.getId().getTag("api") + " " + c.getId().getTag("method"), c.count(), Double::sum);
      }
      return calls;
    }

    private static double sum(MeterRegistry registry, String name, String tag, String value) {
      return registry.find(name).tag(tag, value).counters().stream()
          .mapToDouble(Counter::count)
          .sum();
    }
  }
}
