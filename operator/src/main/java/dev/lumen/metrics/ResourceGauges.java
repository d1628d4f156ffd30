package dev.lumen.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gauges that belong to one resource each, kept as the Prometheus text lines the last reconcile
 * rendered. A resource's gauges are replaced as a whole at every update, so a value that is no
 * longer measured (an objective removed, a canary finished) disappears from /metrics instead of
 * showing its last value forever.
 *
 * <p>They are neither Micrometer meters nor Prometheus collectors: at 10,000 policies (290,000
 * series) a scrape that formatted every series took seconds. A resource is rendered once per
 * reconcile, about once a minute, and a scrape only copies the lines.
 */
final class ResourceGauges {
  private final Map<String, String> helps = new ConcurrentHashMap<>();
  private final Map<String, Map<String, byte[]>> byResource = new ConcurrentHashMap<>();

  /** Collects the values of one resource, then {@link Values#publish()} swaps them in. */
  Values update(String resource) {
    return new Values(resource);
  }

  void forget(String resource) {
    byResource.remove(resource);
  }

  /**
   * Writes every family in the Prometheus text format, families in name order.
   *
   * @param included the family names to write, or null for all (Prometheus' {@code name[]})
   */
  void writeTo(OutputStream out, Set<String> included) throws IOException {
    SortedMap<String, List<byte[]>> families = new TreeMap<>();
    for (var resource : byResource.values()) {
      resource.forEach(
          (family, lines) -> {
            if (included == null || included.contains(family)) {
              families.computeIfAbsent(family, f -> new ArrayList<>()).add(lines);
            }
          });
    }
    for (var family : families.entrySet()) {
      String name = family.getKey();
      out.write(
          ("# HELP " + name + " " + escapeHelp(helps.get(name)) + "\n# TYPE " + name + " gauge\n")
              .getBytes(StandardCharsets.UTF_8));
      for (byte[] lines : family.getValue()) {
        out.write(lines);
      }
    }
  }

  final class Values {
    private final String resource;
    private final Map<String, Map<String, Double>> values = new LinkedHashMap<>();

    private Values(String resource) {
      this.resource = resource;
    }

    /**
     * Sets one series. {@code family} is the Prometheus name; a label set given twice keeps the
     * last value, so a status that names an objective twice cannot repeat a series.
     */
    Values set(String family, String help, Map<String, String> labels, double value) {
      helps.putIfAbsent(family, help);
      values.computeIfAbsent(family, f -> new LinkedHashMap<>()).put(labelText(labels), value);
      return this;
    }

    void publish() {
      Map<String, byte[]> rendered = new LinkedHashMap<>();
      values.forEach(
          (family, series) -> {
            StringBuilder lines = new StringBuilder();
            series.forEach(
                (labels, value) ->
                    lines
                        .append(family)
                        .append(labels)
                        .append(' ')
                        .append(number(value))
                        .append('\n'));
            rendered.put(family, lines.toString().getBytes(StandardCharsets.UTF_8));
          });
      byResource.put(resource, Map.copyOf(rendered));
    }
  }

  /** {@code {a="1",b="2"}}, names in order, values escaped as the text format says. */
  static String labelText(Map<String, String> labels) {
    StringBuilder text = new StringBuilder("{");
    new TreeMap<>(labels)
        .forEach(
            (name, value) -> {
              if (text.length() > 1) {
                text.append(',');
              }
              text.append(name).append("=\"").append(escapeLabel(value)).append('"');
            });
    return text.append('}').toString();
  }

  /** As Prometheus' own writer prints a double: 1.0, -1.0, NaN, +Inf. */
  static String number(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "+Inf" : "-Inf";
    }
    return Double.toString(value);
  }

  private static String escapeLabel(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static String escapeHelp(String help) {
    return help == null ? "" : help.replace("\\", "\\\\").replace("\n", "\\n");
  }
}
