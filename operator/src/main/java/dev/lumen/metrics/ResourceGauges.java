package dev.lumen.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gauges that belong to one resource each. A resource's gauges are replaced as a whole at every
 * update, so a value that is no longer measured (an objective removed, a canary finished)
 * disappears from /metrics instead of showing its last value forever.
 */
final class ResourceGauges {
  private final MeterRegistry registry;
  private final Map<String, Map<Meter.Id, double[]>> byResource = new ConcurrentHashMap<>();

  ResourceGauges(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Collects the values of one resource, then {@link Values#publish()} swaps them in. */
  Values update(String resource) {
    return new Values(resource);
  }

  void forget(String resource) {
    Map<Meter.Id, double[]> old = byResource.remove(resource);
    if (old != null) {
      old.keySet().forEach(registry::remove);
    }
  }

  final class Values {
    private final String resource;
    private final Map<Meter.Id, Double> values = new HashMap<>();
    private final Map<Meter.Id, String> descriptions = new HashMap<>();

    private Values(String resource) {
      this.resource = resource;
    }

    Values set(String name, String description, Tags tags, double value) {
      Meter.Id id = new Meter.Id(name, tags, null, description, Meter.Type.GAUGE);
      values.put(id, value);
      descriptions.put(id, description);
      return this;
    }

    void publish() {
      Map<Meter.Id, double[]> current =
          byResource.computeIfAbsent(resource, r -> new ConcurrentHashMap<>());
      synchronized (current) {
        Set<Meter.Id> gone = new HashSet<>(current.keySet());
        gone.removeAll(values.keySet());
        for (Meter.Id id : gone) {
          registry.remove(id);
          current.remove(id);
        }
        values.forEach(
            (id, value) -> {
              double[] holder = current.get(id);
              if (holder == null) {
                double[] fresh = {value};
                Gauge.builder(id.getName(), fresh, h -> h[0])
                    .description(descriptions.get(id))
                    .tags(id.getTags())
                    .register(registry);
                current.put(id, fresh);
              } else {
                holder[0] = value;
              }
            });
      }
    }
  }
}
