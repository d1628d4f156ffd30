package dev.lumen.observe;

import dev.lumen.api.v1alpha1.CacheSpec;
import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.api.v1alpha1.LumenPolicySpec;
import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import dev.lumen.api.v1alpha1.RedisReference;
import dev.lumen.api.v1alpha1.SLOTargetStatus;
import dev.lumen.engine.Durations;
import dev.lumen.engine.canary.StableHistory;
import dev.lumen.engine.gate.CostUsage;
import dev.lumen.engine.gate.MaturityScore;
import dev.lumen.engine.gate.Pricing;
import dev.lumen.engine.measure.CacheCounts;
import dev.lumen.engine.measure.Minutes;
import dev.lumen.engine.measure.RequestCounts;
import dev.lumen.engine.measure.TrafficWindow;
import dev.lumen.engine.rollout.LateMinutes;
import dev.lumen.engine.rollout.PolicyObservations;
import dev.lumen.engine.rollout.PolicyObservations.SloSummary;
import dev.lumen.engine.rollout.ServiceSnapshot;
import dev.lumen.ports.Backends;
import dev.lumen.ports.CacheStore;
import dev.lumen.ports.CloudRunServices;
import dev.lumen.ports.CloudRunServices.RevisionInfo;
import dev.lumen.ports.CloudRunServices.ServiceState;
import dev.lumen.ports.MetricSource.MetricKind;
import dev.lumen.ports.MetricSource.RevisionKey;
import dev.lumen.ports.MetricSource.RevisionMetrics;
import dev.lumen.ports.PortException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Everything one policy's decision needs, read through the ports: the service and its revisions
 * (Cloud Run), the canary's and stable's traffic since the step started (or a watched promoted
 * revision's since its promotion), the last 15 minutes and the month so far (Cloud Monitoring,
 * shared reads), the cache's counters and TTL (Redis), and the named SLOTargets' state. Cloud Run
 * must answer; anything else that fails is missing data, noted as a gap, never a zero.
 */
public final class PolicyObserver {
  /** The recent window: cold-start rate and the maturity measures. */
  static final Duration RECENT = Duration.ofMinutes(15);

  private static final Set<MetricKind> ROLLOUT_KINDS =
      Set.of(MetricKind.REQUESTS, MetricKind.LATENCIES);
  private static final Set<MetricKind> RECENT_KINDS =
      Set.of(MetricKind.REQUESTS, MetricKind.LATENCIES, MetricKind.STARTUPS);
  private static final Set<MetricKind> COST_KINDS =
      Set.of(MetricKind.REQUESTS, MetricKind.BILLABLE_INSTANCE_TIME);

  private final Backends backends;
  private final BatchedMetrics metrics;
  private final ServiceListings listings;
  private final CacheReadings cacheReadings;
  private final Duration dataDelay;
  private final RevisionLists revisionLists = new RevisionLists();

  /**
   * @param listings Cloud Run services read a location at a time, shared with the {@link
   *     dev.lumen.act.ChangeApplier} that tells them of Lumen's changes
   */
  public PolicyObserver(
      Backends backends,
      BatchedMetrics metrics,
      ServiceListings listings,
      CacheReadings cacheReadings,
      Duration dataDelay) {
    this.backends = backends;
    this.metrics = metrics;
    this.listings = listings;
    this.cacheReadings = cacheReadings;
    this.dataDelay = dataDelay;
  }

  /**
   * What was seen.
   *
   * @param live the service as read, for the decision and the metrics; from a shared listing it may
   *     be up to {@link ServiceListings#MAX_AGE} old
   * @param current the service as it is now, for a traffic change about to be made: whether a
   *     person changed it since it was decided, and the tags to keep; read again (once) when {@code
   *     live} came from a listing
   * @param gaps what could not be read, each naming the system and the error
   */
  public record Observation(
      ServiceState live,
      Supplier<ServiceState> current,
      PolicyObservations observations,
      List<String> gaps) {}

  /**
   * @param owner the policy, to register its service for the shared metric reads
   * @param redisUrl the cache's URL, read from its Secret, when the policy tunes the TTL
   * @param sloTargets the status of each named SLOTarget that exists
   * @throws PortException when Cloud Run cannot be read: nothing can be decided without it
   */
  public Observation observe(
      String owner,
      LumenPolicySpec spec,
      LumenPolicyStatus status,
      Map<String, SLOTargetStatus> sloTargets,
      Optional<URI> redisUrl,
      Instant now) {
    CloudRunServiceReference ref = spec.service().cloudRun();
    CloudRunServices cloudRun = backends.cloudRun();
    ServiceListings.Read service = listings.read(owner, cloudRun, ref);
    ServiceState live = service.state();
    Supplier<ServiceState> current =
        service.listed() ? new ReadOnce(cloudRun, ref, listings) : () -> live;
    List<RevisionInfo> revisions = revisionLists.of(cloudRun, ref, live, now);
    Map<String, Instant> created = new HashMap<>();
    revisions.forEach(r -> created.put(r.name(), r.created()));
    var snapshot =
        new ServiceSnapshot(
            live.latestReadyRevision(), live.traffic(), created, live.minInstances());

    List<String> gaps = new ArrayList<>();
    var scope = new BatchedMetrics.Scope(backends.monitoring(), ref.project());
    metrics.watch(owner, scope, ref.name());
    var reader = new Reader(scope, ref, gaps);

    Optional<TrafficWindow> canary = Optional.empty();
    Optional<TrafficWindow> stable = Optional.empty();
    Optional<Minutes> rolloutWindow = Optional.empty();
    if (status.getCanaryRevision() != null && status.getStepStartTime() != null) {
      Optional<Window> window =
          Window.since(Instant.parse(status.getStepStartTime()), now, dataDelay);
      if (window.isPresent()) {
        rolloutWindow = Optional.of(new Minutes(window.get().start(), window.get().end()));
        Optional<Map<RevisionKey, RevisionMetrics>> read =
            reader.read(window.get(), ROLLOUT_KINDS, "the canary's and stable's traffic");
        canary = read.map(r -> traffic(r, ref, status.getCanaryRevision()));
        stable =
            read.flatMap(
                r ->
                    status.getStableRevision() == null
                        ? Optional.empty()
                        : Optional.of(traffic(r, ref, status.getStableRevision())));
      }
    } else if (status.getRollout() != null && status.getRollout().watch() != null) {
      var watch = status.getRollout().watch();
      Optional<Window> window = Window.since(Instant.parse(watch.startTime()), now, dataDelay);
      if (window.isPresent()) {
        canary =
            reader
                .read(window.get(), ROLLOUT_KINDS, "the promoted revision's traffic")
                .map(r -> traffic(r, ref, watch.revision()));
      }
    }

    Optional<RevisionMetrics> recent =
        reader
            .read(Window.trailing(now, dataDelay, RECENT), RECENT_KINDS, "the last 15 minutes")
            .map(r -> total(r, ref));
    Optional<CostUsage> cost = cost(reader, ref, live, now);

    boolean tunesTtl = spec.tuning() != null && spec.tuning().cacheTtl() != null;
    Duration cacheWindow =
        tunesTtl ? Durations.parse(spec.tuning().cacheTtl().cooldown()) : Duration.ofMinutes(30);
    Optional<CacheCounts> cache = Optional.empty();
    Optional<Duration> cacheTtl = Optional.empty();
    boolean cacheReadable = true;
    // The cache is seen whenever the policy names it, tuned or not.
    if (redisOf(spec).isPresent() && redisUrl.isPresent()) {
      try {
        CacheStore store = backends.redis(redisUrl.get());
        cacheReadings.record(ref.resourceName(), now, store.counters());
        if (tunesTtl) {
          cacheTtl = store.ttl(ttlKey(spec));
        }
        cache = cacheReadings.over(ref.resourceName(), now, cacheWindow);
      } catch (PortException e) {
        cacheReadable = false;
        gaps.add("Redis: " + e.getMessage());
      }
    }

    Map<String, SloSummary> slo = new HashMap<>();
    sloTargets.forEach(
        (name, s) -> {
          if (s.getState() != null) {
            slo.put(name, SloSummaries.of(s));
          }
        });

    var observations =
        new PolicyObservations(
            snapshot,
            canary,
            stable,
            rolloutWindow,
            slo,
            cache,
            cacheWindow,
            cacheTtl,
            cacheReadable,
            cost,
            maturity(
                revisions,
                recent,
                cache,
                cost,
                Pricing.of(spec.gates() == null ? null : spec.gates().budget()),
                now),
            coldStartRate(reader, status, recent, now),
            stableHistory(reader, spec, status, now),
            lateMinutes(reader, ref, status, now));
    return new Observation(live, current, observations, List.copyOf(gaps));
  }

  /** See {@link BatchedMetrics#expect}; a spec that names no Cloud Run service is left out. */
  public void expect(String owner, LumenPolicySpec spec) {
    if (spec != null && spec.service() != null && spec.service().cloudRun() != null) {
      CloudRunServiceReference ref = spec.service().cloudRun();
      metrics.expect(owner, ref.project(), ref.name());
    }
  }

  /**
   * The policy is gone: its service leaves the shared reads and its cache history is dropped.
   *
   * @param service the service the policy named, if its spec could be read
   */
  public void forget(String owner, Optional<CloudRunServiceReference> service) {
    metrics.forget(owner);
    listings.forget(owner);
    service.ifPresent(
        s -> {
          cacheReadings.forget(s.resourceName());
          revisionLists.forget(s);
        });
  }

  /** The Redis key the TTL is published under. */
  public static String ttlKey(LumenPolicySpec spec) {
    String key = redisOf(spec).map(RedisReference::ttlKey).orElse(null);
    return key != null ? key : "lumen:ttl:" + spec.service().cloudRun().name();
  }

  /** The policy's Redis: the TTL loop's own, else the cache it names ({@code spec.cache}). */
  public static Optional<RedisReference> redisOf(LumenPolicySpec spec) {
    if (spec.tuning() != null
        && spec.tuning().cacheTtl() != null
        && spec.tuning().cacheTtl().redis() != null) {
      return Optional.of(spec.tuning().cacheTtl().redis());
    }
    return Optional.ofNullable(spec.cache()).map(CacheSpec::redis);
  }

  private Optional<CostUsage> cost(
      Reader reader, CloudRunServiceReference ref, ServiceState live, Instant now) {
    Instant monthStart =
        now.atZone(ZoneOffset.UTC)
            .withDayOfMonth(1)
            .toLocalDate()
            .atStartOfDay(ZoneOffset.UTC)
            .toInstant();
    return Window.sinceOnGrid(monthStart, now, dataDelay)
        .flatMap(w -> reader.read(w, COST_KINDS, "this month's usage"))
        .map(r -> total(r, ref))
        .map(
            m ->
                new CostUsage(
                    m.billableInstanceSeconds().orElse(0.0),
                    m.requests().map(RequestCounts::total).orElse(0L),
                    live.instanceSize().vcpu(),
                    live.instanceSize().memoryGib()));
  }

  private static MaturityScore.Inputs maturity(
      List<RevisionInfo> revisions,
      Optional<RevisionMetrics> recent,
      Optional<CacheCounts> cache,
      Optional<CostUsage> cost,
      Pricing pricing,
      Instant now) {
    Instant weekAgo = now.minus(Duration.ofDays(7));
    double deploys = revisions.stream().filter(r -> r.created().isAfter(weekAgo)).count();
    Optional<RequestCounts> requests = recent.flatMap(RevisionMetrics::requests);
    return new MaturityScore.Inputs(
        Optional.of(deploys),
        recent.flatMap(RevisionMetrics::latency).map(l -> l.mean()),
        requests.map(r -> 100.0 * r.errors() / r.total()),
        requests.map(r -> 100.0 * r.available() / r.total()),
        cache.filter(c -> c.lookups() > 0).map(c -> 100.0 * c.hits() / c.lookups()),
        cost.filter(c -> c.requests() > 0).map(c -> c.spend(pricing) * 1000 / c.requests()));
  }

  /**
   * The cold-start rate over the recent window, or only since the last min-instances change when
   * that is more recent: minutes before the change describe the old setting, and counting them
   * would raise min-instances again when one more instance had already helped.
   */
  private Optional<Double> coldStartRate(
      Reader reader, LumenPolicyStatus status, Optional<RevisionMetrics> recent, Instant now) {
    Instant changedAt =
        status.getTuning() == null || status.getTuning().minInstancesChangedAt() == null
            ? null
            : Instant.parse(status.getTuning().minInstancesChangedAt());
    if (changedAt == null || changedAt.isBefore(now.minus(dataDelay).minus(RECENT))) {
      return recent.flatMap(PolicyObserver::coldStartRatePercent);
    }
    return Window.since(changedAt, now, dataDelay)
        .flatMap(
            w -> reader.read(w, RECENT_KINDS, "cold starts since the last min-instances change"))
        .map(r -> total(r, reader.ref))
        .flatMap(PolicyObserver::coldStartRatePercent);
  }

  private static Optional<Double> coldStartRatePercent(RevisionMetrics recent) {
    return recent
        .requests()
        .filter(r -> r.total() > 0)
        .flatMap(r -> recent.coldStarts().map(c -> 100.0 * c / r.total()));
  }

  /**
   * Stable's requests before the rollout, once its first step has run long enough for the minutes
   * before it to have arrived, and only until status has them. The window ends the minute before
   * the step began, so no request counts both as history and as the rollout's.
   */
  private Optional<StableHistory> stableHistory(
      Reader reader, LumenPolicySpec spec, LumenPolicyStatus status, Instant now) {
    Duration length = StableHistory.wanted(spec.rollout());
    if (length.isZero()
        || status.getCanaryRevision() == null
        || status.getStableRevision() == null
        || status.getStepStartTime() == null
        || !Integer.valueOf(0).equals(status.getStep())
        || (status.getRollout() != null && status.getRollout().stableHistory() != null)) {
      return Optional.empty();
    }
    Instant stepStart = Instant.parse(status.getStepStartTime());
    if (now.isBefore(stepStart.plus(dataDelay))) {
      return Optional.empty();
    }
    Instant end = stepStart.truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(1));
    Window window = new Window(end.minus(length), end);
    String revision = status.getStableRevision();
    return reader
        .read(window, Set.of(MetricKind.REQUESTS), "stable's requests before the rollout")
        .map(
            read ->
                new StableHistory(
                    revision,
                    window.start(),
                    window.end(),
                    traffic(read, ref(spec), revision).requests()));
  }

  /**
   * The last step's final minutes that status awaits ({@code earlierSteps.arriving}), once the data
   * delay has passed over all of them: read whole, once, so they count at that step's split.
   */
  private Optional<LateMinutes> lateMinutes(
      Reader reader, CloudRunServiceReference ref, LumenPolicyStatus status, Instant now) {
    Minutes minutes =
        status.getRollout() == null
            ? null
            : LateMinutes.awaited(status.getRollout().earlierSteps());
    if (minutes == null
        || status.getCanaryRevision() == null
        || status.getStableRevision() == null
        || now.minus(dataDelay).isBefore(minutes.end())) {
      return Optional.empty();
    }
    return reader
        .read(
            new Window(minutes.start(), minutes.end()),
            ROLLOUT_KINDS,
            "the last step's final minutes")
        .map(
            read ->
                new LateMinutes(
                    minutes,
                    traffic(read, ref, status.getCanaryRevision()),
                    traffic(read, ref, status.getStableRevision())));
  }

  private static CloudRunServiceReference ref(LumenPolicySpec spec) {
    return spec.service().cloudRun();
  }

  /** One revision's traffic; a revision without requests in the window served none. */
  private static TrafficWindow traffic(
      Map<RevisionKey, RevisionMetrics> read, CloudRunServiceReference ref, String revision) {
    RevisionMetrics m =
        read.getOrDefault(
            new RevisionKey(ref.region(), ref.name(), revision), RevisionMetrics.EMPTY);
    return new TrafficWindow(m.requests().orElse(RequestCounts.NONE), m.latency());
  }

  /** The whole service: every revision in the service's region added up. */
  static RevisionMetrics total(
      Map<RevisionKey, RevisionMetrics> read, CloudRunServiceReference ref) {
    RevisionMetrics sum = RevisionMetrics.EMPTY;
    for (var entry : read.entrySet()) {
      if (entry.getKey().region().equals(ref.region())) {
        sum = MetricSums.plus(sum, entry.getValue());
      }
    }
    return sum;
  }

  /**
   * The service read on its own, the first time it is asked for. Listings begun before no longer
   * stand for it: the next cycle must not see an older state than this one acted on.
   */
  private static final class ReadOnce implements Supplier<ServiceState> {
    private final CloudRunServices cloudRun;
    private final CloudRunServiceReference ref;
    private final ServiceListings listings;
    private ServiceState read;

    ReadOnce(CloudRunServices cloudRun, CloudRunServiceReference ref, ServiceListings listings) {
      this.cloudRun = cloudRun;
      this.ref = ref;
      this.listings = listings;
    }

    @Override
    public ServiceState get() {
      if (read == null) {
        read = cloudRun.get(ref);
        listings.changed(ref);
      }
      return read;
    }
  }

  /** Reads that turn a failure into a gap. */
  private final class Reader {
    private final BatchedMetrics.Scope scope;
    private final CloudRunServiceReference ref;
    private final List<String> gaps;

    Reader(BatchedMetrics.Scope scope, CloudRunServiceReference ref, List<String> gaps) {
      this.scope = scope;
      this.ref = ref;
      this.gaps = gaps;
    }

    Optional<Map<RevisionKey, RevisionMetrics>> read(
        Window window, Set<MetricKind> kinds, String what) {
      try {
        return Optional.of(metrics.read(scope, ref.name(), window, kinds));
      } catch (PortException e) {
        gaps.add("metrics (" + what + "): " + e.getMessage());
        return Optional.empty();
      }
    }
  }
}
