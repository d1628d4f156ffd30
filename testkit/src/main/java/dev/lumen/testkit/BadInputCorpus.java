package dev.lumen.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The bad-input corpus (test resource {@code dev/lumen/badinput/corpus.yaml}): invalid and hostile
 * resources, each naming the field its error must name.
 */
public final class BadInputCorpus {
  public static final String EXPECT = "test.lumen.dev/expect";
  private static final String RESOURCE = "/dev/lumen/badinput/corpus.yaml";

  /** What the corpus' references resolve against. */
  public static final String SLO_TARGET = "checkout";

  public static final String SECRET = "hooks";
  public static final String SECRET_KEY = "url";
  public static final String REDIS_SECRET = "redis";

  /**
   * The Secrets the corpus' references resolve against, by name, each with one key {@link
   * #SECRET_KEY}: two good ones and the malformed values a user's Secret may hold.
   */
  public static final Map<String, String> SECRETS =
      Map.of(
          SECRET,
          "https://hooks.example.com/services/T0/B0/x",
          REDIS_SECRET,
          "redis://redis.example.com:6379",
          "redis-database-not-number",
          "redis://:pw@redis.example.com:6379/notanumber",
          "redis-password-without-colon",
          "redis://password@redis.example.com:6379",
          "redis-no-port",
          "redis://redis.example.com",
          "hooks-not-url",
          "hooks.slack.com services T0",
          "token-two-lines",
          "first-half\nsecond-half");

  /**
   * @param yaml the resource as a user would apply it
   * @param field the field its error names
   */
  public record Case(String name, String kind, String yaml, JsonNode tree, String field) {
    @Override
    public String toString() {
      return kind + "/" + name;
    }
  }

  private BadInputCorpus() {}

  public static List<Case> cases() {
    String text = expand(read());
    List<Case> cases = new ArrayList<>();
    var yaml = new YAMLMapper();
    for (String document : text.split("(?m)^---$")) {
      try {
        JsonNode tree = yaml.readTree(document);
        if (tree == null || tree.isMissingNode() || tree.isEmpty()) {
          continue;
        }
        JsonNode metadata = tree.path("metadata");
        String field = metadata.path("annotations").path(EXPECT).asText();
        cases.add(
            new Case(
                metadata.path("name").asText(), tree.path("kind").asText(), document, tree, field));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return cases;
  }

  /** The resource in {@code namespace}, without the test's annotation. */
  public static ObjectNode inNamespace(Case c, String namespace) {
    ObjectNode copy = c.tree().deepCopy();
    ObjectNode metadata = (ObjectNode) copy.path("metadata");
    metadata.put("namespace", namespace);
    metadata.remove("annotations");
    return copy;
  }

  private static String read() {
    try (InputStream in = BadInputCorpus.class.getResourceAsStream(RESOURCE)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String expand(String text) {
    return text.replace("__100K__", "x".repeat(100_000))
        .replace("__STEPS__", String.join(", ", Collections.nCopies(10_000, "{weight: 1}")))
        .replace(
            "__OBJECTIVES__",
            String.join(
                ", ", Collections.nCopies(10_000, "{name: a, availability: {target: \"99\"}}")));
  }
}
