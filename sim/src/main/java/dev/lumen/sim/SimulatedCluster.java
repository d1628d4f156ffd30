package dev.lumen.sim;

import dev.lumen.clock.FastClock;
import dev.lumen.ports.Backends;
import dev.lumen.ports.CloudRunServices;
import dev.lumen.quota.GoogleCallQuotas;
import dev.lumen.reconciler.Pacing;
import dev.lumen.runtime.LumenOperator;
import dev.lumen.runtime.OperatorSettings;
import dev.lumen.tenancy.Tenancy;
import dev.lumen.testkit.kube.EmbeddedApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.function.DoubleSupplier;
import java.util.function.UnaryOperator;

/**
 * A whole cluster on this machine, the one set-up every simulation shares (the end-to-end tests,
 * the demo, the kill drill, {@code run-local}, the scale benchmark): the embedded API server, the
 * simulated world behind loopback Cloud Run and Cloud Monitoring, and one clock. Operators started
 * on it use Lumen's real Google adapters, and run in this JVM or as processes.
 */
public final class SimulatedCluster implements AutoCloseable {
  /** Deadline of each Google call an operator on the cluster makes. */
  public static final Duration GOOGLE_DEADLINE = Duration.ofSeconds(5);

  private final Clock clock;
  private final DoubleSupplier speed;
  private final EmbeddedApiServer api;
  private final KubernetesClient client;
  private final SimulatedGoogle google;

  private SimulatedCluster(Clock clock, DoubleSupplier speed, long seed, Duration tick) {
    this.clock = clock;
    this.speed = speed;
    this.api = EmbeddedApiServer.start();
    this.client = api.newClient();
    this.google = new SimulatedGoogle(clock, seed, tick);
  }

  /**
   * @param clock the cluster's time, which the world follows
   * @param seed the world's randomness
   * @param tick how often (in real time) the world catches up with the clock
   */
  public static SimulatedCluster start(FastClock clock, long seed, Duration tick) {
    // The demo may slow the clock down while it runs: the operator's waits follow.
    return new SimulatedCluster(clock, clock::speed, seed, tick);
  }

  /** On the wall clock, in real time. */
  public static SimulatedCluster startInRealTime(long seed) {
    return new SimulatedCluster(Clock.systemUTC(), () -> 1, seed, Duration.ofSeconds(1));
  }

  public Clock clock() {
    return clock;
  }

  public EmbeddedApiServer api() {
    return api;
  }

  public KubernetesClient client() {
    return client;
  }

  public SimulatedGoogle google() {
    return google;
  }

  /** Settings for an operator here: metric data one minute late, requeues paced to the clock. */
  public OperatorSettings settings() {
    // One team owns the simulated world; the tenancy tests bind projects themselves.
    return OperatorSettings.defaults()
        .withTenancy(Tenancy.Mode.single_team)
        .withReconcileThreads(4)
        .withMetricDataDelay(Duration.ofMinutes(1))
        .withPacing(new Pacing(speed));
  }

  /**
   * Fresh Google clients for one operator, with unlimited calls; the operator closes them when it
   * stops.
   *
   * @param wrapCloudRun lets a test put itself between the operator and Cloud Run
   */
  public Backends backends(MeterRegistry registry, UnaryOperator<CloudRunServices> wrapCloudRun) {
    return google.backends(registry, GOOGLE_DEADLINE, wrapCloudRun);
  }

  /** An operator in this JVM with {@link #settings()} and unlimited Google calls. */
  public LumenOperator startOperator(MeterRegistry registry) {
    return startOperator(settings(), registry, UnaryOperator.identity());
  }

  /**
   * @param wrapCloudRun lets a test put itself between the operator and Cloud Run
   */
  public LumenOperator startOperator(
      OperatorSettings settings,
      MeterRegistry registry,
      UnaryOperator<CloudRunServices> wrapCloudRun) {
    return startOperator(
        settings, registry, wrapCloudRun, GoogleCallQuotas.unlimited(GOOGLE_DEADLINE));
  }

  public LumenOperator startOperator(
      OperatorSettings settings,
      MeterRegistry registry,
      UnaryOperator<CloudRunServices> wrapCloudRun,
      GoogleCallQuotas quotas) {
    return startOperator(settings, registry, wrapCloudRun, quotas, UnaryOperator.identity());
  }

  /**
   * @param extend adds to the operator's backends, e.g. a writer of Lumen's figures
   */
  public LumenOperator startOperator(
      OperatorSettings settings,
      MeterRegistry registry,
      UnaryOperator<CloudRunServices> wrapCloudRun,
      GoogleCallQuotas quotas,
      UnaryOperator<dev.lumen.ports.Backends> extend) {
    return LumenOperator.start(
        client,
        settings,
        clock,
        registry,
        extend.apply(google.backends(registry, GOOGLE_DEADLINE, wrapCloudRun, quotas)));
  }

  @Override
  public void close() {
    google.close();
    client.close();
    api.close();
  }
}
