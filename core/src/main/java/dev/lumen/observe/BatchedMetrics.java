package dev.lumen.observe;

import dev.lumen.ports.MetricSource;
import dev.lumen.ports.MetricSource.MetricKind;
import dev.lumen.ports.MetricSource.MetricRequest;
import dev.lumen.ports.MetricSource.RevisionKey;
import dev.lumen.ports.MetricSource.RevisionMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Metric reads shared by every reconcile. Resources register the service they watch; a read for one
 * service fetches every watched service of the same project and source in one request, and the
 * other reconciles of the cycle (same window, same kinds) take their share of it. Concurrent
 * reconciles wait for the read in flight instead of sending their own, and a failed read fails
 * every reconcile of the cycle rather than being retried once per resource: the next cycle's window
 * is a new read. Short windows are sums of one-minute reads ({@link MinuteLedger}), so a project
 * costs one read per kind a minute however many windows its resources ask for.
 */
public final class BatchedMetrics {
  /** Results are kept while their window may still be asked for: its end is this recent. */
  private static final Duration KEEP = Duration.ofHours(2);

  /**
   * A failed read stands for one evaluation cycle: the reconciles of that cycle share the failure
   * instead of each asking again, and the next cycle reads again even when its window is the same
   * (a month's usage keeps its window for an hour).
   */
  static final Duration FAILURE_KEPT = Duration.ofMinutes(1);

  /**
   * Minutes this close to a window's end are read when the ledger lacks them: the newest minute
   * every cycle, and a few more after a pause. Older gaps make the window be read whole.
   */
  static final Duration CATCH_UP = Duration.ofMinutes(3);

  /** How often a scope and kind may be backfilled ({@link #backfill}). */
  static final Duration BACKFILL_EVERY = Duration.ofMinutes(1);

  private static final Duration ONE_MINUTE = Duration.ofMinutes(1);

  private final Clock clock;
  private final MinuteLedger ledger = new MinuteLedger();

  private final Map<String, Registration> registrations = new ConcurrentHashMap<>();
  private final Map<ReadKey, Batch> batches = new ConcurrentHashMap<>();
  private final Map<BackfillKey, Backfill> backfills = new ConcurrentHashMap<>();

  /** One project of one metric source. */
  public record Scope(MetricSource source, String project) {}

  private record Registration(Scope scope, String service) {}

  private record ReadKey(Scope scope, Window window, Set<MetricKind> kinds, int reading) {}

  private record BackfillKey(Scope scope, MetricKind kind) {}

  private record Backfill(Instant at, CompletableFuture<Void> done) {}

  private record Batch(
      Set<String> services,
      CompletableFuture<Map<RevisionKey, RevisionMetrics>> result,
      AtomicReference<Instant> failedAt,
      Instant startedAt) {
    boolean usableAt(Instant now) {
      Instant failed = failedAt.get();
      return failed == null || failed.plus(FAILURE_KEPT).isAfter(now);
    }
  }

  /**
   * @param clock the operator's clock, which says when a failed read may be tried again
   */
  public BatchedMetrics(Clock clock) {
    this.clock = clock;
  }

  /** {@code owner} (a resource) watches {@code service} in {@code scope}; replaces what it had. */
  public void watch(String owner, Scope scope, String service) {
    registrations.put(owner, new Registration(scope, service));
  }

  public void forget(String owner) {
    registrations.remove(owner);
  }

  /**
   * The metrics of every revision of {@code service} in {@code window}. A short window on the
   * minute grid is added up from one-minute reads ({@link MinuteLedger}); the newest minutes
   * missing are read now, and a window with older minutes missing (the operator just started, or
   * the service was just added) is read whole.
   */
  public Map<RevisionKey, RevisionMetrics> read(
      Scope scope, String service, Window window, Set<MetricKind> kinds) {
    if (!MinuteLedger.fits(window)) {
      return forService(shared(scope, service, window, kinds), service);
    }
    Map<RevisionKey, RevisionMetrics> result = new HashMap<>();
    Set<MetricKind> whole = EnumSet.noneOf(MetricKind.class);
    for (MetricKind kind : kinds) {
      Optional<Map<RevisionKey, RevisionMetrics>> summed =
          MinuteLedger.SUMMABLE.contains(kind)
              ? summed(scope, service, window, kind)
              : Optional.empty();
      if (summed.isPresent()) {
        summed.get().forEach((revision, m) -> result.merge(revision, m, MetricSums::plus));
      } else {
        whole.add(kind);
      }
    }
    if (!whole.isEmpty()) {
      forService(shared(scope, service, window, whole), service)
          .forEach((revision, m) -> result.merge(revision, m, MetricSums::plus));
    }
    return result;
  }

  private Optional<Map<RevisionKey, RevisionMetrics>> summed(
      Scope scope, String service, Window window, MetricKind kind) {
    Instant now = clock.instant();
    List<Instant> missing = ledger.missing(scope, kind, service, window, now);
    if (missing.isEmpty()) {
      return ledger.sum(scope, kind, service, window);
    }
    Instant newest = window.end().minus(CATCH_UP);
    if (missing.get(0).isBefore(newest)) {
      backfill(scope, service, kind, window.end(), now);
      missing = ledger.missing(scope, kind, service, window, now);
    }
    for (Instant minute : missing) {
      if (!minute.isBefore(newest)) {
        // A minute read again because it was incomplete must not be served the first read.
        int reading = ledger.kept(scope, kind, service, minute) ? 1 : 0;
        Batch batch = batch(scope, service, MinuteLedger.minuteFrom(minute), Set.of(kind), reading);
        ledger.put(
            scope,
            kind,
            minute,
            MinuteLedger.Minute.of(batch.services(), join(batch), batch.startedAt()));
      }
    }
    return ledger.sum(scope, kind, service, window);
  }

  /**
   * Fills the ledger with the last hour of {@code kind} for every watched service of the scope, in
   * one call that brings each minute ({@link MetricSource#readMinutes}): after a start, and when a
   * service joins, whose older minutes are missing. At most once a {@link #BACKFILL_EVERY} per
   * scope and kind, so that the services registered in the meantime join the next one; a window
   * still missing minutes is read whole. A failed backfill changes nothing.
   */
  private void backfill(Scope scope, String service, MetricKind kind, Instant end, Instant now) {
    var mine = new CompletableFuture<Void>();
    Backfill backfill =
        backfills.compute(
            new BackfillKey(scope, kind),
            (k, last) ->
                last != null && last.at().plus(BACKFILL_EVERY).isAfter(now)
                    ? last
                    : new Backfill(now, mine));
    if (backfill.done() != mine) {
      backfill.done().join();
      return;
    }
    try {
      Set<String> services = watched(scope, service);
      Instant start = end.minus(MinuteLedger.SPAN);
      Map<Instant, Map<RevisionKey, RevisionMetrics>> byMinute = new HashMap<>();
      scope
          .source()
          .readMinutes(new MetricRequest(scope.project(), services, start, end, Set.of(kind)))
          .forEach(
              (revision, minutes) ->
                  minutes.forEach(
                      (minute, m) ->
                          byMinute.computeIfAbsent(minute, x -> new HashMap<>()).put(revision, m)));
      for (Instant minute = start; minute.isBefore(end); minute = minute.plus(ONE_MINUTE)) {
        ledger.put(
            scope,
            kind,
            minute,
            MinuteLedger.Minute.of(services, byMinute.getOrDefault(minute, Map.of()), now));
      }
    } catch (RuntimeException e) {
      // The windows are read whole, as without a backfill.
    } finally {
      mine.complete(null);
    }
  }

  /** Every watched service's revisions in {@code window}, read once for the cycle. */
  private Map<RevisionKey, RevisionMetrics> shared(
      Scope scope, String service, Window window, Set<MetricKind> kinds) {
    return join(batch(scope, service, window, kinds));
  }

  private Batch batch(Scope scope, String service, Window window, Set<MetricKind> kinds) {
    return batch(scope, service, window, kinds, 0);
  }

  /**
   * @param reading 0 for the first read of the window, 1 for a read again of a minute that was
   *     incomplete: a batch is shared by the reads of one reading only
   */
  private Batch batch(
      Scope scope, String service, Window window, Set<MetricKind> kinds, int reading) {
    var key = new ReadKey(scope, window, Set.copyOf(kinds), reading);
    var mine = new CompletableFuture<Map<RevisionKey, RevisionMetrics>>();
    Set<String> services = watched(scope, service);
    Batch batch =
        batches.compute(
            key,
            (k, existing) ->
                existing != null
                        && existing.services().contains(service)
                        && existing.usableAt(clock.instant())
                    ? existing
                    : new Batch(services, mine, new AtomicReference<>(), clock.instant()));
    if (batch.result() == mine) {
      evict(window.end());
      try {
        mine.complete(
            scope
                .source()
                .read(
                    new MetricRequest(
                        scope.project(), services, window.start(), window.end(), kinds)));
      } catch (RuntimeException e) {
        batch.failedAt().set(clock.instant());
        mine.completeExceptionally(e);
      }
    }
    return batch;
  }

  private static Map<RevisionKey, RevisionMetrics> join(Batch batch) {
    try {
      return batch.result().join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  private static Map<RevisionKey, RevisionMetrics> forService(
      Map<RevisionKey, RevisionMetrics> all, String service) {
    Map<RevisionKey, RevisionMetrics> forService = new HashMap<>();
    all.forEach(
        (revision, metrics) -> {
          if (revision.service().equals(service)) {
            forService.put(revision, metrics);
          }
        });
    return forService;
  }

  private Set<String> watched(Scope scope, String service) {
    Set<String> services = new TreeSet<>();
    services.add(service);
    registrations.values().stream()
        .filter(r -> r.scope().equals(scope))
        .forEach(r -> services.add(r.service()));
    return Set.copyOf(services);
  }

  /** One-minute reads live on in the ledger; whole windows are kept while they may be asked for. */
  private void evict(Instant newestEnd) {
    Instant oldest = newestEnd.minus(KEEP);
    Instant oldestMinute = newestEnd.minus(CATCH_UP.multipliedBy(2));
    batches
        .keySet()
        .removeIf(
            k ->
                k.window().end().isBefore(oldest)
                    || (k.window().equals(MinuteLedger.minuteFrom(k.window().start()))
                        && k.window().end().isBefore(oldestMinute)));
  }
}
