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

  /**
   * How long a resource the operator knows of but has not evaluated yet keeps its service in the
   * reads of its project ({@link #expect}); one whose spec never gets evaluated (invalid) leaves
   * them after this.
   */
  static final Duration EXPECTED_FOR = Duration.ofMinutes(30);

  private final Map<String, Registration> registrations = new ConcurrentHashMap<>();
  private final Map<String, Expected> expected = new ConcurrentHashMap<>();
  private final Map<ReadKey, Batch<Map<RevisionKey, RevisionMetrics>>> batches =
      new ConcurrentHashMap<>();
  private final Map<ReadKey, Batch<Map<Instant, Map<RevisionKey, RevisionMetrics>>>> spans =
      new ConcurrentHashMap<>();
  private final Map<BackfillKey, Backfill> backfills = new ConcurrentHashMap<>();

  /** One project of one metric source. */
  public record Scope(MetricSource source, String project) {}

  private record Registration(Scope scope, String service) {}

  private record Expected(String project, String service, Instant at) {}

  private record ReadKey(Scope scope, Window window, Set<MetricKind> kinds) {}

  private record BackfillKey(Scope scope, MetricKind kind) {}

  private record Backfill(Instant at, CompletableFuture<Void> done) {}

  private record Batch<T>(
      Set<String> services,
      CompletableFuture<T> result,
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
    expected.remove(owner);
  }

  /**
   * {@code owner} will watch {@code service} of {@code project} once it is evaluated: the reads of
   * that project include it from now on. After a start every resource is announced before the first
   * is evaluated, so the first read of a long window brings every service of the project; without
   * this each resource evaluated after that read, lacking from it, made a read of its own (24
   * SLOTargets of one project: 104 whole-window reads at a start instead of at most 8). Including a
   * service that another Google identity will watch is harmless: a read covers one project, which
   * the reading identity may read whole.
   */
  public void expect(String owner, String project, String service) {
    if (!registrations.containsKey(owner)) {
      expected.putIfAbsent(owner, new Expected(project, service, clock.instant()));
    }
  }

  public void forget(String owner) {
    registrations.remove(owner);
    expected.remove(owner);
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
      return forService(whole(scope, service, window, kinds), service);
    }
    Map<RevisionKey, RevisionMetrics> result = new HashMap<>();
    Set<MetricKind> wholeKinds = EnumSet.noneOf(MetricKind.class);
    for (MetricKind kind : kinds) {
      Optional<Map<RevisionKey, RevisionMetrics>> summed =
          MinuteLedger.SUMMABLE.contains(kind)
              ? summed(scope, service, window, kind)
              : Optional.empty();
      if (summed.isPresent()) {
        summed.get().forEach((revision, m) -> result.merge(revision, m, MetricSums::plus));
      } else {
        wholeKinds.add(kind);
      }
    }
    if (!wholeKinds.isEmpty()) {
      forService(whole(scope, service, window, wholeKinds), service)
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
    List<Instant> recent = missing.stream().filter(m -> !m.isBefore(newest)).toList();
    if (recent.size() == 1 && !ledger.kept(scope, kind, service, recent.get(0))) {
      // The newest minute, read for the first time: at the default data delay, all there is.
      Instant minute = recent.get(0);
      var batch = batch(scope, service, MinuteLedger.minuteFrom(minute), Set.of(kind));
      ledger.put(
          scope,
          kind,
          minute,
          MinuteLedger.Minute.of(batch.services(), join(batch), batch.startedAt()));
    } else if (!recent.isEmpty()) {
      // Several recent minutes, or one read before it was complete: one call brings each minute
      // from the oldest of them to the window's end, so that re-reading an incomplete minute
      // costs no call of its own.
      var span = new Window(recent.get(0), window.end());
      var batch = span(scope, service, span, kind);
      Map<Instant, Map<RevisionKey, RevisionMetrics>> minutes = join(batch);
      for (Instant m = span.start(); m.isBefore(span.end()); m = m.plus(ONE_MINUTE)) {
        ledger.put(
            scope,
            kind,
            m,
            MinuteLedger.Minute.of(
                batch.services(), minutes.getOrDefault(m, Map.of()), batch.startedAt()));
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
      Map<Instant, Map<RevisionKey, RevisionMetrics>> byMinute =
          byMinute(
              scope
                  .source()
                  .readMinutes(
                      new MetricRequest(scope.project(), services, start, end, Set.of(kind))));
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
  private Map<RevisionKey, RevisionMetrics> whole(
      Scope scope, String service, Window window, Set<MetricKind> kinds) {
    return join(batch(scope, service, window, kinds));
  }

  private Batch<Map<RevisionKey, RevisionMetrics>> batch(
      Scope scope, String service, Window window, Set<MetricKind> kinds) {
    return shared(
        batches,
        new ReadKey(scope, window, Set.copyOf(kinds)),
        service,
        services ->
            scope
                .source()
                .read(
                    new MetricRequest(
                        scope.project(), services, window.start(), window.end(), kinds)));
  }

  /** Each minute of {@code span}, read in one call and shared like {@link #batch}. */
  private Batch<Map<Instant, Map<RevisionKey, RevisionMetrics>>> span(
      Scope scope, String service, Window span, MetricKind kind) {
    return shared(
        spans,
        new ReadKey(scope, span, Set.of(kind)),
        service,
        services ->
            byMinute(
                scope
                    .source()
                    .readMinutes(
                        new MetricRequest(
                            scope.project(), services, span.start(), span.end(), Set.of(kind)))));
  }

  /**
   * The read of {@code key} for every watched service of its scope: the one in flight or made this
   * cycle when it covers {@code service}, else a new one, which the reconciles after take their
   * share of.
   */
  private <T> Batch<T> shared(
      Map<ReadKey, Batch<T>> reads,
      ReadKey key,
      String service,
      java.util.function.Function<Set<String>, T> read) {
    var mine = new CompletableFuture<T>();
    // The watched services are gathered only for a new read: most reads share one in flight.
    Batch<T> batch =
        reads.compute(
            key,
            (k, existing) ->
                existing != null
                        && existing.services().contains(service)
                        && existing.usableAt(clock.instant())
                    ? existing
                    : new Batch<>(
                        watched(key.scope(), service),
                        mine,
                        new AtomicReference<>(),
                        clock.instant()));
    if (batch.result() == mine) {
      evict(key.window().end());
      try {
        mine.complete(read.apply(batch.services()));
      } catch (RuntimeException e) {
        batch.failedAt().set(clock.instant());
        mine.completeExceptionally(e);
      }
    }
    return batch;
  }

  private static Map<Instant, Map<RevisionKey, RevisionMetrics>> byMinute(
      Map<RevisionKey, java.util.NavigableMap<Instant, RevisionMetrics>> read) {
    Map<Instant, Map<RevisionKey, RevisionMetrics>> byMinute = new HashMap<>();
    read.forEach(
        (revision, minutes) ->
            minutes.forEach(
                (minute, m) ->
                    byMinute.computeIfAbsent(minute, x -> new HashMap<>()).put(revision, m)));
    return byMinute;
  }

  private static <T> T join(Batch<T> batch) {
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
    if (!expected.isEmpty()) {
      Instant since = clock.instant().minus(EXPECTED_FOR);
      expected.values().stream()
          .filter(e -> e.project().equals(scope.project()) && e.at().isAfter(since))
          .forEach(e -> services.add(e.service()));
    }
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
    spans.keySet().removeIf(k -> k.window().end().isBefore(oldestMinute));
  }
}
