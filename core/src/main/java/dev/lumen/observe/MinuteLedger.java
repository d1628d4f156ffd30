package dev.lumen.observe;

import dev.lumen.ports.MetricSource.MetricKind;
import dev.lumen.ports.MetricSource.RevisionKey;
import dev.lumen.ports.MetricSource.RevisionMetrics;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * One-minute reads of each project and metric kind, kept for an hour, from which the short windows
 * are added up: the 5-minute, 30-minute and 1-hour burn-rate windows, a policy's 15 minutes and a
 * canary's step all end on the same minute, so a project costs one read per kind a minute instead
 * of one per window. Only kinds that add up over time are kept; a minute covers the services that
 * were watched when it was read.
 */
final class MinuteLedger {
  /** The longest window added up; longer ones are read whole. */
  static final Duration SPAN = Duration.ofHours(1);

  static final Set<MetricKind> SUMMABLE =
      EnumSet.of(
          MetricKind.REQUESTS,
          MetricKind.LATENCIES,
          MetricKind.STARTUPS,
          MetricKind.BILLABLE_INSTANCE_TIME);

  private static final Duration MINUTE = Duration.ofMinutes(1);

  /**
   * How long after its end a minute is complete in Cloud Monitoring: Cloud Run's points become
   * visible up to 180 s after they are sampled. A minute read sooner (the operator's data delay was
   * lowered below 3 minutes) may lack points that arrive later, so it is read again once it is this
   * old, in the same call as the newer minutes; at the default delay no minute is read before.
   */
  static final Duration SETTLE = Duration.ofMinutes(3);

  /**
   * What one read of one minute returned, for every service it asked for, by service: a window is
   * added up for one service at a time.
   *
   * @param readAt when it was read, which tells whether it may still have lacked late points
   */
  record Minute(
      Set<String> services,
      Map<String, Map<RevisionKey, RevisionMetrics>> byService,
      Instant readAt) {
    static Minute of(Set<String> services, Map<RevisionKey, RevisionMetrics> read, Instant readAt) {
      Map<String, Map<RevisionKey, RevisionMetrics>> byService = new HashMap<>();
      read.forEach(
          (revision, metrics) ->
              byService
                  .computeIfAbsent(revision.service(), s -> new HashMap<>())
                  .put(revision, metrics));
      return new Minute(services, byService, readAt);
    }

    /** Read before it was complete, and complete now: it is read again. */
    boolean settlesBy(Instant start, Instant now) {
      Instant complete = start.plus(MINUTE).plus(SETTLE);
      return readAt.isBefore(complete) && !now.isBefore(complete);
    }
  }

  private record Key(BatchedMetrics.Scope scope, MetricKind kind) {}

  private final Map<Key, NavigableMap<Instant, Minute>> minutes = new ConcurrentHashMap<>();

  /** Whether {@code window} can be added up from whole minutes of the ledger. */
  static boolean fits(Window window) {
    Duration length = Duration.between(window.start(), window.end());
    return onMinute(window.start())
        && onMinute(window.end())
        && length.compareTo(MINUTE) >= 0
        && length.compareTo(SPAN) <= 0;
  }

  static Window minuteFrom(Instant start) {
    return new Window(start, start.plus(MINUTE));
  }

  /**
   * The starts of the minutes of {@code window} that are not kept for {@code service}, or that were
   * read before they were complete and are complete {@code now} ({@link Minute#settlesBy}).
   */
  List<Instant> missing(
      BatchedMetrics.Scope scope, MetricKind kind, String service, Window window, Instant now) {
    NavigableMap<Instant, Minute> kept =
        minutes.getOrDefault(new Key(scope, kind), Collections.emptyNavigableMap());
    List<Instant> missing = new ArrayList<>();
    for (Instant m = window.start(); m.isBefore(window.end()); m = m.plus(MINUTE)) {
      Minute minute = kept.get(m);
      if (minute == null || !minute.services().contains(service) || minute.settlesBy(m, now)) {
        missing.add(m);
      }
    }
    return missing;
  }

  /** Whether the minute starting at {@code start} is kept for {@code service}, complete or not. */
  boolean kept(BatchedMetrics.Scope scope, MetricKind kind, String service, Instant start) {
    Minute minute =
        minutes.getOrDefault(new Key(scope, kind), Collections.emptyNavigableMap()).get(start);
    return minute != null && minute.services().contains(service);
  }

  void put(BatchedMetrics.Scope scope, MetricKind kind, Instant start, Minute minute) {
    var kept = minutes.computeIfAbsent(new Key(scope, kind), k -> new ConcurrentSkipListMap<>());
    kept.put(start, minute);
    // A little more than the span: a window may end a few minutes behind the newest read.
    kept.headMap(start.minus(SPAN).minus(Duration.ofMinutes(10))).clear();
  }

  /** The service's revisions summed over {@code window}; empty when a minute is missing. */
  Optional<Map<RevisionKey, RevisionMetrics>> sum(
      BatchedMetrics.Scope scope, MetricKind kind, String service, Window window) {
    var all = minutes.get(new Key(scope, kind));
    if (all == null) {
      return Optional.empty();
    }
    var kept = all.subMap(window.start(), window.end());
    if (kept.size() != Duration.between(window.start(), window.end()).toMinutes()) {
      return Optional.empty();
    }
    Map<RevisionKey, List<RevisionMetrics>> parts = new HashMap<>();
    for (Minute minute : kept.values()) {
      if (!minute.services().contains(service)) {
        return Optional.empty();
      }
      minute
          .byService()
          .getOrDefault(service, Map.of())
          .forEach(
              (revision, metrics) ->
                  parts.computeIfAbsent(revision, r -> new ArrayList<>()).add(metrics));
    }
    Map<RevisionKey, RevisionMetrics> total = new HashMap<>();
    parts.forEach((revision, list) -> total.put(revision, MetricSums.sum(list)));
    return Optional.of(total);
  }

  private static boolean onMinute(Instant time) {
    return time.equals(time.truncatedTo(ChronoUnit.MINUTES));
  }
}
