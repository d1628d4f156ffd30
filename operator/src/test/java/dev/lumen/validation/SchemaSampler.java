package dev.lumen.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lumen.api.v1alpha1.ApiPatterns;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * Random values that a CRD's OpenAPI schema accepts: every property the schema knows, at the edges
 * of its ranges as often as in between. A string with a pattern is drawn from that pattern's
 * samples; a pattern without samples fails, so a new pattern in the API is never skipped.
 */
final class SchemaSampler {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final String[] DURATIONS = {
    "0s", "1ms", "200ms", "1s", "10s", "30s", "1m", "5m", "10m", "30m", "1h", "1h30m", "6h", "24h",
    "168h", "2160h", "999999h", "61s", "59s", "3601s"
  };
  private static final Map<String, Function<Random, String>> PATTERNS =
      Map.ofEntries(
          Map.entry(ApiPatterns.DURATION, r -> pick(r, DURATIONS)),
          Map.entry(
              ApiPatterns.WINDOW, r -> pick(r, "1h", "24h", "7d", "28d", "30d", "90d", "91d")),
          Map.entry(
              ApiPatterns.PERCENT,
              r -> pick(r, "0", "0.01", "1", "5", "50", "90", "99", "99.5", "99.99", "100")),
          Map.entry(ApiPatterns.RATIO, r -> pick(r, "0x", "1x", "1.25x", "1.5x", "2x", "1000x")),
          Map.entry(ApiPatterns.UNIT_INTERVAL, r -> pick(r, "0", "0.05", "0.5", "0.95", "1")),
          Map.entry(ApiPatterns.DECIMAL, r -> pick(r, "0", "0.001", "1", "9.36", "100", "1000000")),
          Map.entry(ApiPatterns.SIGNED_DECIMAL, r -> pick(r, "-1000", "-0.5", "0", "1.5", "1000")),
          Map.entry(ApiPatterns.DNS_LABEL, r -> pick(r, "web", "availability", "a", "x-1")),
          Map.entry(ApiPatterns.SECRET_NAME, r -> pick(r, "hooks", "redis", "a.b")),
          Map.entry(ApiPatterns.SECRET_KEY, r -> pick(r, "url", "URL_1")),
          Map.entry(ApiPatterns.GCP_PROJECT, r -> "my-project"),
          Map.entry(ApiPatterns.GCP_REGION, r -> "us-central1"),
          Map.entry(ApiPatterns.CLOUD_RUN_NAME, r -> "web"),
          Map.entry(ApiPatterns.HTTP_URL, r -> "http://127.0.0.1:9/"),
          Map.entry(ApiPatterns.CURRENCY, r -> pick(r, "USD", "EUR")),
          Map.entry(ApiPatterns.BASIC_AUTH_USER, r -> pick(r, "lumen", "reader@example.com")),
          Map.entry(
              ApiPatterns.MONITORING_ALIGNER,
              r -> pick(r, "ALIGN_MEAN", "ALIGN_MAX", "ALIGN_RATE", "ALIGN_NOT_A_THING")),
          Map.entry(
              ApiPatterns.MONITORING_REDUCER,
              r -> pick(r, "REDUCE_SUM", "REDUCE_NONE", "REDUCE_MEAN", "REDUCE_NOT_A_THING")),
          Map.entry(
              "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$",
              r -> pick(r, "http_requests_total", "code", "a")));

  /**
   * Properties of which an object sets exactly one, as the CRDs' CEL rules demand (an objective's
   * kind, a metric source, a step's weight or approval): drawing each at random would make nearly
   * every sample invalid.
   */
  private static final List<Set<String>> EXACTLY_ONE =
      List.of(
          Set.of("availability", "latency", "errorRate", "cacheHitRate", "custom"),
          Set.of("cloudMonitoring", "prometheus"),
          Set.of("weight", "approval"),
          Set.of("bearerTokenSecretRef", "basicAuth"));

  private final Random random;
  private final Set<String> unknownPatterns = new HashSet<>();

  SchemaSampler(long seed) {
    this.random = new Random(seed);
  }

  /** A value of {@code schema}. */
  JsonNode sample(JsonNode schema) {
    if (schema.has("enum")) {
      List<JsonNode> values = new ArrayList<>();
      schema.get("enum").forEach(values::add);
      return values.get(random.nextInt(values.size()));
    }
    return switch (schema.path("type").asText("object")) {
      case "object" -> object(schema);
      case "array" -> array(schema);
      case "string" -> JSON.textNode(string(schema));
      case "integer" -> JSON.numberNode(integer(schema));
      case "number" -> JSON.numberNode(integer(schema) + random.nextDouble());
      case "boolean" -> JSON.booleanNode(random.nextBoolean());
      default -> throw new IllegalArgumentException("no sampler for " + schema);
    };
  }

  /** Patterns met that have no samples; a test must fail when this is not empty. */
  Set<String> unknownPatterns() {
    return unknownPatterns;
  }

  private ObjectNode object(JsonNode schema) {
    ObjectNode out = JSON.objectNode();
    Set<String> required = new HashSet<>();
    schema.path("required").forEach(name -> required.add(name.asText()));
    Set<String> names = new HashSet<>();
    schema.path("properties").fieldNames().forEachRemaining(names::add);
    Set<String> excluded = new HashSet<>();
    for (Set<String> group : EXACTLY_ONE) {
      List<String> present = names.stream().filter(group::contains).sorted().toList();
      if (present.size() > 1) {
        excluded.addAll(present);
        required.add(present.get(random.nextInt(present.size())));
      }
    }
    schema
        .path("properties")
        .fields()
        .forEachRemaining(
            property -> {
              String name = property.getKey();
              if (required.contains(name) || (!excluded.contains(name) && random.nextInt(3) > 0)) {
                out.set(name, sample(property.getValue()));
              }
            });
    return out;
  }

  private ArrayNode array(JsonNode schema) {
    int min = schema.path("minItems").asInt(0);
    int max = Math.min(schema.path("maxItems").asInt(4), min + 4);
    ArrayNode out = JSON.arrayNode();
    int size = min + random.nextInt(max - min + 1);
    for (int i = 0; i < size; i++) {
      out.add(sample(schema.path("items")));
    }
    return out;
  }

  private String string(JsonNode schema) {
    if (schema.has("pattern")) {
      String pattern = schema.get("pattern").asText();
      Function<Random, String> samples = PATTERNS.get(pattern);
      if (samples == null) {
        unknownPatterns.add(pattern);
        return "";
      }
      return samples.apply(random);
    }
    int max = schema.path("maxLength").asInt(64);
    int length = Math.max(schema.path("minLength").asInt(0), Math.min(max, random.nextInt(12)));
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      text.append((char) ('a' + random.nextInt(26)));
    }
    return text.toString();
  }

  private long integer(JsonNode schema) {
    long min = schema.has("minimum") ? schema.get("minimum").asLong() : 0;
    long max = schema.has("maximum") ? schema.get("maximum").asLong() : 1000;
    return switch (random.nextInt(4)) {
      case 0 -> min;
      case 1 -> max;
      default -> min + (long) (random.nextDouble() * (max - min + 1));
    };
  }

  @SafeVarargs
  private static <T> T pick(Random random, T... values) {
    return values[random.nextInt(values.length)];
  }
}
