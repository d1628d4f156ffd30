package dev.lumen.sim.scenario;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.lumen.testkit.world.SimWorld.Behaviour;
import java.io.IOException;
import java.io.Reader;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Metrics recorded from a real service, one CSV row per revision and minute (docs/simulation.md):
 * {@code timestamp, [service,] revision, requests, errors}, the latency as {@code latency_p50_ms}
 * and {@code latency_p95_ms} or as cumulative {@code latency_le_<ms>} buckets, and optionally
 * {@code cold_starts}, {@code instances} and the service's {@code cache_hit_rate} with {@code
 * cache_ttl_seconds}. Each revision's minute becomes its behaviour then (error rate, log-normal
 * latency fitted to the percentiles, cold-start rate, instances per request) and the minutes'
 * requests the service's load, so the backtest asks what a policy would have done with that traffic
 * and those revisions.
 */
public final class RecordedMetrics {
  private static final double Z95 = 1.6448536269514722;
  private static final String BUCKET_PREFIX = "latency_le_";
  private static final List<String> KNOWN =
      List.of(
          "timestamp",
          "service",
          "revision",
          "requests",
          "errors",
          "latency_p50_ms",
          "latency_p95_ms",
          "cold_starts",
          "instances",
          "cache_hit_rate",
          "cache_ttl_seconds");

  /**
   * What was recorded of one service.
   *
   * @param requestsPerMinute all revisions' requests by minute start
   * @param revisions each revision's behaviour by minute start, from the minutes it served
   * @param initialRevision the revision serving most requests in the first minute: it starts with
   *     all traffic, and every other revision is deployed at its first recorded minute
   * @param instancesPerRequest each revision's billable instances per request served, by minute
   *     start, where {@code instances} was recorded
   * @param cache the service's cache by minute start, where it was recorded
   */
  public record ServiceRecording(
      String service,
      NavigableMap<Instant, Long> requestsPerMinute,
      Map<String, NavigableMap<Instant, Behaviour>> revisions,
      String initialRevision,
      Map<String, NavigableMap<Instant, Double>> instancesPerRequest,
      NavigableMap<Instant, CacheMinute> cache) {}

  /**
   * The service's cache in one minute: the hit rate its application had with the TTL it used. An
   * application whose entries are re-read on average every {@code refresh} hits {@code ttl / (ttl +
   * refresh)} of its lookups, so the recording says how often entries are re-read, and the replay
   * gives the hit rate the TTL Lumen publishes would have had.
   */
  public record CacheMinute(double hitRate, Duration ttl) {
    /** Beyond this, entries are as good as never re-read: a hit rate of 0 under any TTL. */
    static final Duration NEVER_REREAD = Duration.ofDays(30);

    public Duration refreshTime() {
      if (hitRate <= 0) {
        return NEVER_REREAD;
      }
      long seconds = Math.round(ttl.toSeconds() * (1 - hitRate) / hitRate);
      return Duration.ofSeconds(Math.min(NEVER_REREAD.toSeconds(), Math.max(1, seconds)));
    }
  }

  private final String file;
  private final Map<String, ServiceRecording> services;
  private final Instant start;
  private final Instant end;

  private RecordedMetrics(
      String file, Map<String, ServiceRecording> services, Instant start, Instant end) {
    this.file = file;
    this.services = services;
    this.start = start;
    this.end = end;
  }

  public String file() {
    return file;
  }

  /** The first recorded minute. */
  public Instant start() {
    return start;
  }

  /** The end of the last recorded minute. */
  public Instant end() {
    return end;
  }

  public Map<String, ServiceRecording> services() {
    return services;
  }

  /**
   * Reads a recording.
   *
   * @param onlyService the service every row belongs to when the file has no service column
   * @throws ScenarioException naming the line and column of every problem
   */
  public static RecordedMetrics read(String file, Reader in, Optional<String> onlyService) {
    List<String> problems = new ArrayList<>();
    var mapper = new CsvMapper().enable(CsvParser.Feature.TRIM_SPACES);
    List<Map<String, String>> rows = new ArrayList<>();
    List<String> header;
    try (MappingIterator<Map<String, String>> it =
        mapper
            .readerFor(Map.class)
            .with(CsvSchema.emptySchema().withHeader().withComments())
            .readValues(in)) {
      while (it.hasNextValue()) {
        rows.add(it.nextValue());
      }
      header = new ArrayList<>();
      var schema = (CsvSchema) it.getParserSchema();
      if (schema != null) {
        schema.forEach(c -> header.add(c.getName()));
      }
    } catch (IOException | RuntimeException e) {
      throw new ScenarioException(
          file, List.of("malformed CSV: " + e.getMessage().lines().findFirst().orElse("")));
    }
    var columns = new Columns(header, onlyService.isPresent(), problems);
    if (!problems.isEmpty() || rows.isEmpty()) {
      if (rows.isEmpty()) {
        problems.add("no rows: one row per revision and minute is needed after the header");
      }
      throw new ScenarioException(file, problems);
    }
    Map<String, Map<String, NavigableMap<Instant, Row>>> byService = new LinkedHashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      // Line 1 is the header.
      var row = columns.row(rows.get(i), "line " + (i + 2), onlyService, problems);
      if (row == null) {
        continue;
      }
      var minutes =
          byService
              .computeIfAbsent(row.service(), s -> new LinkedHashMap<>())
              .computeIfAbsent(row.revision(), r -> new TreeMap<>());
      if (minutes.put(row.minute(), row) != null) {
        problems.add(
            "line "
                + (i + 2)
                + ": a second row for "
                + row.service()
                + "/"
                + row.revision()
                + " at "
                + row.minute());
      }
    }
    if (!problems.isEmpty()) {
      throw new ScenarioException(file, problems);
    }
    Instant first = Instant.MAX;
    Instant last = Instant.MIN;
    Map<String, ServiceRecording> services = new LinkedHashMap<>();
    for (var service : byService.entrySet()) {
      NavigableMap<Instant, Long> load = new TreeMap<>();
      Map<String, NavigableMap<Instant, Behaviour>> revisions = new LinkedHashMap<>();
      Map<String, NavigableMap<Instant, Double>> instances = new LinkedHashMap<>();
      NavigableMap<Instant, CacheMinute> cache = new TreeMap<>();
      String initial = null;
      long initialRequests = -1;
      Instant firstMinute =
          service.getValue().values().stream()
              .map(NavigableMap::firstKey)
              .min(Instant::compareTo)
              .orElseThrow();
      for (var revision : service.getValue().entrySet()) {
        Row opening = revision.getValue().get(firstMinute);
        if (opening != null && opening.requests() > initialRequests) {
          initial = revision.getKey();
          initialRequests = opening.requests();
        }
        NavigableMap<Instant, Behaviour> behaviours = new TreeMap<>();
        NavigableMap<Instant, Double> perRequest = new TreeMap<>();
        for (Row row : revision.getValue().values()) {
          load.merge(row.minute(), row.requests(), Long::sum);
          row.behaviour().ifPresent(b -> behaviours.put(row.minute(), b));
          row.instancesPerRequest().ifPresent(i -> perRequest.put(row.minute(), i));
          if (row.cache().isPresent()) {
            var earlier = cache.putIfAbsent(row.minute(), row.cache().get());
            if (earlier != null && !earlier.equals(row.cache().get())) {
              problems.add(
                  row.line()
                      + ": cache_hit_rate and cache_ttl_seconds differ from another row of "
                      + service.getKey()
                      + " at "
                      + row.minute()
                      + "; the cache is the service's, so its rows of a minute must agree (or"
                      + " leave them empty)");
            }
          }
        }
        if (!perRequest.isEmpty()) {
          instances.put(revision.getKey(), perRequest);
        }
        if (behaviours.isEmpty()) {
          problems.add(
              service.getKey()
                  + "/"
                  + revision.getKey()
                  + ": every row has 0 requests, so nothing says how it behaves");
          continue;
        }
        revisions.put(revision.getKey(), behaviours);
      }
      first = first.isBefore(load.firstKey()) ? first : load.firstKey();
      last = last.isAfter(load.lastKey()) ? last : load.lastKey();
      services.put(
          service.getKey(),
          new ServiceRecording(service.getKey(), load, revisions, initial, instances, cache));
    }
    if (!problems.isEmpty()) {
      throw new ScenarioException(file, problems);
    }
    return new RecordedMetrics(file, services, first, last.plus(1, ChronoUnit.MINUTES));
  }

  /** One row, read and checked. */
  private record Row(
      String line,
      String service,
      String revision,
      Instant minute,
      long requests,
      Optional<Behaviour> behaviour,
      Optional<Double> instancesPerRequest,
      Optional<CacheMinute> cache) {}

  /** The header's columns and how a row is read with them. */
  private static final class Columns {
    private final boolean hasService;
    private final boolean hasPercentiles;
    private final boolean hasColdStarts;
    private final boolean hasInstances;
    private final boolean hasCache;
    private final TreeMap<Double, String> buckets = new TreeMap<>();

    Columns(List<String> header, boolean serviceOptional, List<String> problems) {
      hasService = header.contains("service");
      for (String required : List.of("timestamp", "revision", "requests", "errors")) {
        if (!header.contains(required)) {
          problems.add("header: column " + required + " is missing");
        }
      }
      if (!hasService && !serviceOptional) {
        problems.add(
            "header: column service is missing; it may be left out only when the policies"
                + " watch one service");
      }
      for (String column : header) {
        if (!KNOWN.contains(column) && !column.startsWith(BUCKET_PREFIX)) {
          problems.add(
              "header: unknown column "
                  + column
                  + "; the columns are "
                  + String.join(", ", KNOWN)
                  + " and latency_le_<ms> buckets");
        }
      }
      hasPercentiles = header.contains("latency_p50_ms") && header.contains("latency_p95_ms");
      hasColdStarts = header.contains("cold_starts");
      hasInstances = header.contains("instances");
      hasCache = header.contains("cache_hit_rate") && header.contains("cache_ttl_seconds");
      if (!hasCache
          && (header.contains("cache_hit_rate") || header.contains("cache_ttl_seconds"))) {
        problems.add(
            "header: cache_hit_rate and cache_ttl_seconds go together: the hit rate means little"
                + " without the TTL it was had with");
      }
      for (String column : header) {
        if (column.startsWith(BUCKET_PREFIX)) {
          String bound = column.substring(BUCKET_PREFIX.length());
          try {
            buckets.put(
                bound.equalsIgnoreCase("inf")
                    ? Double.POSITIVE_INFINITY
                    : Double.parseDouble(bound),
                column);
          } catch (NumberFormatException e) {
            problems.add(
                "header: "
                    + column
                    + " is not a bucket: latency_le_ takes an upper bound in ms or inf, e.g."
                    + " latency_le_250");
          }
        }
      }
      if (!hasPercentiles && buckets.isEmpty()) {
        problems.add(
            "header: latency is missing: give latency_p50_ms and latency_p95_ms, or cumulative"
                + " buckets latency_le_<ms>");
      }
      if (hasPercentiles && !buckets.isEmpty()) {
        problems.add("header: give latency as percentiles or as buckets, not both");
      }
    }

    Row row(
        Map<String, String> values,
        String line,
        Optional<String> onlyService,
        List<String> problems) {
      int before = problems.size();
      String service = hasService ? text(values, "service", line, problems) : onlyService.get();
      String revision = text(values, "revision", line, problems);
      Instant minute = minute(values.get("timestamp"), line, problems);
      long requests = count(values, "requests", line, problems);
      long errors = count(values, "errors", line, problems);
      if (problems.size() > before) {
        return null;
      }
      if (errors > requests) {
        problems.add(line + ": errors " + errors + " is more than requests " + requests);
        return null;
      }
      Optional<CacheMinute> cache = hasCache ? cache(values, line, problems) : Optional.empty();
      Optional<Double> instances =
          hasInstances && !values.getOrDefault("instances", "").isEmpty()
              ? Optional.of(instances(values, line, problems))
              : Optional.empty();
      if (problems.size() > before) {
        return null;
      }
      if (requests == 0) {
        return new Row(
            line, service, revision, minute, 0, Optional.empty(), Optional.empty(), cache);
      }
      double[] latency =
          hasPercentiles
              ? percentiles(values, line, problems)
              : fromBuckets(values, line, problems);
      if (latency == null) {
        return null;
      }
      double coldStartRate = Behaviour.HEALTHY.coldStartRate();
      if (hasColdStarts && !values.getOrDefault("cold_starts", "").isEmpty()) {
        long coldStarts = count(values, "cold_starts", line, problems);
        coldStartRate = Math.min(1, (double) coldStarts / requests);
      }
      double spread = Math.max(0.01, Math.log(latency[1] / latency[0]) / Z95);
      return new Row(
          line,
          service,
          revision,
          minute,
          requests,
          Optional.of(new Behaviour((double) errors / requests, latency[0], coldStartRate, spread)),
          instances.map(i -> i / requests),
          cache);
    }

    /** Both cache columns, or neither when both are empty. */
    private static Optional<CacheMinute> cache(
        Map<String, String> values, String line, List<String> problems) {
      String hitRate = values.getOrDefault("cache_hit_rate", "");
      String ttl = values.getOrDefault("cache_ttl_seconds", "");
      if (hitRate.isEmpty() && ttl.isEmpty()) {
        return Optional.empty();
      }
      double rate = Double.NaN;
      try {
        rate = Double.parseDouble(hitRate);
      } catch (NumberFormatException e) {
        // reported below
      }
      if (!(rate >= 0 && rate <= 1)) {
        problems.add(
            line + ": cache_hit_rate \"" + hitRate + "\" is not a fraction from 0 to 1, e.g. 0.72");
        return Optional.empty();
      }
      long seconds = count(values, "cache_ttl_seconds", line, problems);
      if (seconds < 1) {
        problems.add(line + ": cache_ttl_seconds must be at least 1 with a cache_hit_rate");
        return Optional.empty();
      }
      return Optional.of(new CacheMinute(rate, Duration.ofSeconds(seconds)));
    }

    private static double instances(
        Map<String, String> values, String line, List<String> problems) {
      String value = values.get("instances");
      try {
        double x = Double.parseDouble(value);
        if (x >= 0 && Double.isFinite(x)) {
          return x;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      problems.add(
          line
              + ": instances \""
              + value
              + "\" is not a number >= 0 of billable instances (the minute's mean)");
      return 0;
    }

    private static double[] percentiles(
        Map<String, String> values, String line, List<String> problems) {
      double p50 = positive(values, "latency_p50_ms", line, problems);
      double p95 = positive(values, "latency_p95_ms", line, problems);
      if (Double.isNaN(p50) || Double.isNaN(p95)) {
        return null;
      }
      if (p95 < p50) {
        problems.add(line + ": latency_p95_ms " + p95 + " is below latency_p50_ms " + p50);
        return null;
      }
      return new double[] {p50, p95};
    }

    /** The median and p95 of cumulative buckets, interpolated within a bucket. */
    private double[] fromBuckets(Map<String, String> values, String line, List<String> problems) {
      double[] bounds = new double[buckets.size()];
      long[] cumulative = new long[buckets.size()];
      int i = 0;
      for (var bucket : buckets.entrySet()) {
        bounds[i] = bucket.getKey();
        cumulative[i] = count(values, bucket.getValue(), line, problems);
        if (i > 0 && cumulative[i] < cumulative[i - 1]) {
          problems.add(
              line
                  + ": "
                  + bucket.getValue()
                  + " is below the bucket before it; buckets are cumulative (le = at most)");
          return null;
        }
        i++;
      }
      long total = cumulative[cumulative.length - 1];
      if (total == 0) {
        problems.add(line + ": the latency buckets are empty while requests are not");
        return null;
      }
      return new double[] {
        quantile(bounds, cumulative, 0.5 * total), quantile(bounds, cumulative, 0.95 * total)
      };
    }

    private static double quantile(double[] bounds, long[] cumulative, double rank) {
      double lower = 0;
      long below = 0;
      for (int i = 0; i < bounds.length; i++) {
        if (cumulative[i] >= rank) {
          double upper = Double.isInfinite(bounds[i]) ? lower * 1.5 : bounds[i];
          long inBucket = cumulative[i] - below;
          return lower + (upper - lower) * (rank - below) / Math.max(1, inBucket);
        }
        lower = bounds[i];
        below = cumulative[i];
      }
      return lower;
    }

    private static String text(
        Map<String, String> values, String column, String line, List<String> problems) {
      String value = values.getOrDefault(column, "");
      if (value.isEmpty()) {
        problems.add(line + ": " + column + " is empty");
      }
      return value;
    }

    private static Instant minute(String value, String line, List<String> problems) {
      try {
        Instant at = Instant.parse(value == null ? "" : value);
        if (!at.equals(at.truncatedTo(ChronoUnit.MINUTES))) {
          problems.add(
              line + ": timestamp " + value + " is not on a whole minute; rows are per minute");
          return null;
        }
        return at;
      } catch (DateTimeParseException e) {
        problems.add(
            line + ": timestamp \"" + value + "\" is not RFC 3339 UTC, e.g. 2026-03-02T10:00:00Z");
        return null;
      }
    }

    private static long count(
        Map<String, String> values, String column, String line, List<String> problems) {
      String value = values.getOrDefault(column, "");
      try {
        long n = Long.parseLong(value);
        if (n >= 0) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      problems.add(line + ": " + column + " \"" + value + "\" is not a whole number >= 0");
      return 0;
    }

    private static double positive(
        Map<String, String> values, String column, String line, List<String> problems) {
      String value = values.getOrDefault(column, "");
      try {
        double x = Double.parseDouble(value);
        if (x > 0 && Double.isFinite(x)) {
          return x;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      problems.add(
          line + ": " + column + " \"" + value + "\" is not a positive number of milliseconds");
      return Double.NaN;
    }
  }
}
