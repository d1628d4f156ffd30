package dev.lumen.runtime;

import dev.lumen.act.ChangeApplier;
import dev.lumen.cycle.PolicyCycle;
import dev.lumen.cycle.SloCycle;
import dev.lumen.engine.rollout.PolicyEngine;
import dev.lumen.metrics.LumenMetrics;
import dev.lumen.monitoring.FigureFlusher;
import dev.lumen.monitoring.LumenFigures;
import dev.lumen.notify.AlertTracker;
import dev.lumen.notify.Announcer;
import dev.lumen.notify.Dispatcher;
import dev.lumen.notify.EventRecorder;
import dev.lumen.notify.Notifier;
import dev.lumen.observe.BatchedMetrics;
import dev.lumen.observe.CacheReadings;
import dev.lumen.observe.PolicyObserver;
import dev.lumen.observe.ServiceListings;
import dev.lumen.observe.SloObserver;
import dev.lumen.ports.Backends;
import dev.lumen.reconciler.Shell;
import dev.lumen.reconciler.lumenpolicy.LumenPolicyReconciler;
import dev.lumen.reconciler.slotarget.AlertRulesPublisher;
import dev.lumen.reconciler.slotarget.MonitoringObjectsPublisher;
import dev.lumen.reconciler.slotarget.SLOTargetReconciler;
import dev.lumen.tenancy.BindingPublisher;
import dev.lumen.tenancy.ClusterBindings;
import dev.lumen.tenancy.Tenancy;
import dev.lumen.validation.CrdSchemas;
import dev.lumen.validation.ResourceValidator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
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

  /**
   * How long a stop waits for reconciles in flight: one evaluation and its status write take well
   * under a second; a reconcile still running after this is interrupted and resumes from status.
   */
  static final java.time.Duration GRACEFUL_STOP = java.time.Duration.ofSeconds(5);

  private final Optional<FigureFlusher> flusher;
  private final AtomicBoolean stopping;
  private final Backends backends;
  private final Dispatcher dispatcher;
  private final Optional<ClusterBindings> bindings;
  private final Optional<BindingPublisher> publisher;
  private static final Duration NOTIFY_TIMEOUT = Duration.ofSeconds(5);
  private static final int NOTIFY_ATTEMPTS = 3;
  private static final Duration ALERT_RESEND = Duration.ofMinutes(5);

  private LumenOperator(
      Operator operator,
      AtomicBoolean stopping,
      Backends backends,
      Dispatcher dispatcher,
      Optional<ClusterBindings> bindings,
      Optional<BindingPublisher> publisher,
      Optional<FigureFlusher> flusher) {
    this.flusher = flusher;
    this.operator = operator;
    this.stopping = stopping;
    this.backends = backends;
    this.dispatcher = dispatcher;
    this.bindings = bindings;
    this.publisher = publisher;
  }

  /**
   * Builds, registers and starts the operator; returns once the informers have synced.
   *
   * @param backends the outside systems; the operator closes them when it stops
   */
  public static LumenOperator start(
      KubernetesClient client,
      OperatorSettings settings,
      Clock clock,
      MeterRegistry registry,
      Backends backends) {
    var validator = new ResourceValidator(CrdSchemas.load());
    var metrics = new LumenMetrics(registry);
    var notifier = new Notifier(NOTIFY_TIMEOUT);
    var dispatcher = new Dispatcher(NOTIFY_ATTEMPTS, Duration.ofSeconds(1), registry);
    var announcer =
        new Announcer(notifier, dispatcher, new AlertTracker(notifier, dispatcher, ALERT_RESEND));
    Optional<ClusterBindings> bindings =
        settings.tenancy() == Tenancy.Mode.bound
            ? Optional.of(ClusterBindings.watch(client))
            : Optional.empty();
    LOG.info(
        bindings
            .map(
                b ->
                    "Tenancy bound: a namespace manages only the projects a LumenProjectBinding"
                        + " gives it ("
                        + b.count()
                        + " bindings now)")
            .orElse(
                "Tenancy single-team: every namespace may manage every Cloud Run service the"
                    + " operator's Google account reaches"));
    var shell =
        new Shell(
            clock,
            settings.pacing(),
            new EventRecorder(client, clock, "lumen-operator"),
            announcer,
            metrics,
            bindings.map(ClusterBindings::tenancy).orElseGet(Tenancy::singleTeam),
            backends.figureWriter().map(LumenFigures::new),
            settings.shard());
    if (settings.shard().sharded()) {
      LOG.info(
          "Shard {}: serving the LumenPolicies and SLOTargets whose namespace/name hashes to it",
          settings.shard());
    }
    Optional<FigureFlusher> flusher =
        shell.figures().map(figures -> new FigureFlusher(figures, clock));
    var batched = new BatchedMetrics(clock);
    var listings = new ServiceListings(clock);
    var cacheReadings = new CacheReadings();
    var stopping = new AtomicBoolean(false);
    // Without leader election every replica reconciles, so each counts as leading.
    var leading = new AtomicBoolean(settings.leaderElection().isEmpty());
    var operator =
        new Operator(
            o -> {
              // Status is written with a plain update, not server-side apply: the embedded API
              // server does not implement apply, and one code path everywhere is the tested one.
              o.withKubernetesClient(client)
                  .withUseSSAToPatchPrimaryResource(false)
                  .withCloseClientOnStop(false)
                  // The SDK's default (zero) interrupts a reconcile in flight on stop, mid status
                  // write; letting it finish leaves status as the decision made it.
                  .withReconciliationTerminationTimeout(GRACEFUL_STOP)
                  .withResourceCloner(new StoredSpecCloner(client.getKubernetesSerialization()))
                  .withConcurrentReconciliationThreads(settings.reconcileThreads())
                  // Per controller only: per-resource SDK metrics are a histogram per resource
                  // (dozens of series each, kept after the resource is deleted), and Lumen's own
                  // lumen_ gauges already describe each resource.
                  .withMetrics(
                      MicrometerMetrics.newMicrometerMetricsBuilder(registry)
                          .notCollectingMetricsPerResource()
                          .build());
              settings
                  .leaderElection()
                  .ifPresent(
                      l -> o.withLeaderElectionConfiguration(leaderElection(l, stopping, leading)));
            });
    operator.register(
        new SLOTargetReconciler(
            validator,
            new SloCycle(
                new SloObserver(backends, batched, cacheReadings, settings.metricDataDelay()),
                clock,
                settings.secretRecheckInterval()),
            shell,
            settings
                .prometheusRules()
                .map(rules -> new AlertRulesPublisher(client, rules.labels(), clock)),
            backends
                .monitoringObjects()
                .map(store -> new MonitoringObjectsPublisher(store, clock))),
        c -> configure(c, settings));
    operator.register(
        new LumenPolicyReconciler(
            validator,
            new PolicyCycle(
                new PolicyEngine(),
                new PolicyObserver(
                    backends, batched, listings, cacheReadings, settings.metricDataDelay()),
                new ChangeApplier(backends, listings),
                clock,
                settings.secretRecheckInterval()),
            shell),
        c -> configure(c, settings));
    operator.start();
    // One writer of the admission ConfigMap: shard 0 (every shard reads the bindings).
    Optional<BindingPublisher> publisher =
        bindings
            .filter(b -> settings.shard().index() == 0)
            .map(b -> BindingPublisher.start(client, settings.admissionMap(), b, clock));
    var lumen =
        new LumenOperator(operator, stopping, backends, dispatcher, bindings, publisher, flusher);
    Gauge.builder("lumen.operator.ready", lumen, o -> o.isReady() ? 1 : 0)
        .description("1 when the operator is started and its informers are connected")
        .strongReference(true)
        .register(registry);
    Gauge.builder("lumen.operator.leader", leading, l -> l.get() ? 1 : 0)
        .description("1 on the replica that reconciles; each replica without leader election")
        .strongReference(true)
        .register(registry);
    return lumen;
  }

  /**
   * A replica that loses the lease exits, so that it restarts and rejoins the election instead of
   * reconciling beside the new leader; stopping on purpose also gives up the lease, and must not.
   */
  private static LeaderElectionConfiguration leaderElection(
      OperatorSettings.LeaderElection election, AtomicBoolean stopping, AtomicBoolean leading) {
    var callbacks =
        new LeaderCallbacks(
            () -> {
              leading.set(true);
              LOG.info("Became the leader as {}", election.identity());
            },
            () -> {
              leading.set(false);
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
        election.leaseDuration(),
        election.renewDeadline(),
        election.retryPeriod(),
        election.identity(),
        callbacks,
        false);
  }

  /**
   * Which events reconcile: a new generation (spec edits), changed annotations (steering with
   * kubectl annotate does not bump the generation) and deletion (to drop the resource's metrics and
   * resolve its alerts, without a finalizer that could block deleting it while Lumen is down).
   * Status writes, Lumen's own included, do not.
   */
  private static <R extends HasMetadata> void configure(
      ControllerConfigurationOverrider<R> controller, OperatorSettings settings) {
    if (settings.namespaces().isEmpty()) {
      controller.watchingAllNamespaces();
    } else {
      controller.settingNamespaces(settings.namespaces());
    }
    // Another shard's resources are cached (an informer cannot select by hash) but never
    // reconciled: their events stop here, and the reconcilers check again for events that come
    // through a secondary resource.
    if (settings.shard().sharded()) {
      controller.withGenericFilter(resource -> settings.shard().serves(resource));
    }
    controller
        .withGenerationAware(false)
        // A safety net: a resource whose reconciles failed until the retries ran out is looked
        // at again within this time even if nothing about it changes.
        .withReconciliationMaxInterval(Duration.ofMinutes(5))
        .withTriggerReconcilerOnAllEvents(true)
        .withOnUpdateFilter(
            (next, previous) ->
                !Objects.equals(
                        next.getMetadata().getGeneration(), previous.getMetadata().getGeneration())
                    || !Objects.equals(
                        next.getMetadata().getAnnotations(),
                        previous.getMetadata().getAnnotations())
                    || next.isMarkedForDeletion());
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
    flusher.ifPresent(FigureFlusher::close);
    publisher.ifPresent(BindingPublisher::close);
    bindings.ifPresent(ClusterBindings::close);
    dispatcher.close();
    backends.close();
  }
}
