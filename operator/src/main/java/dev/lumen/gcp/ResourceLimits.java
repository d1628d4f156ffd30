package dev.lumen.gcp;

import dev.lumen.ports.CloudRunServices.InstanceSize;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Kubernetes-style quantities of a Cloud Run container's limits ("1000m", "512Mi"). */
final class ResourceLimits {
  private static final Pattern QUANTITY = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)([a-zA-Z]*)");
  private static final Map<String, Double> MEMORY_UNITS =
      Map.of(
          "", 1.0,
          "k", 1e3,
          "M", 1e6,
          "G", 1e9,
          "Ki", 1024.0,
          "Mi", 1024.0 * 1024,
          "Gi", 1024.0 * 1024 * 1024);

  private ResourceLimits() {}

  /** The size from {@code limits}; a limit that is absent or unreadable is Cloud Run's default. */
  static InstanceSize instanceSize(Map<String, String> limits) {
    double vcpu = cpu(limits.get("cpu"));
    double memory = memoryGib(limits.get("memory"));
    return new InstanceSize(
        vcpu > 0 ? vcpu : InstanceSize.DEFAULT.vcpu(),
        memory > 0 ? memory : InstanceSize.DEFAULT.memoryGib());
  }

  static double cpu(String text) {
    Matcher m = text == null ? null : QUANTITY.matcher(text.trim());
    if (m == null || !m.matches()) {
      return -1;
    }
    double value = Double.parseDouble(m.group(1));
    return switch (m.group(2)) {
      case "" -> value;
      case "m" -> value / 1000;
      default -> -1;
    };
  }

  static double memoryGib(String text) {
    Matcher m = text == null ? null : QUANTITY.matcher(text.trim());
    if (m == null || !m.matches() || !MEMORY_UNITS.containsKey(m.group(2))) {
      return -1;
    }
    return Double.parseDouble(m.group(1)) * MEMORY_UNITS.get(m.group(2)) / (1024.0 * 1024 * 1024);
  }
}
