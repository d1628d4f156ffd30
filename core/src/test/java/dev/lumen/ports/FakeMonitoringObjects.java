package dev.lumen.ports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lumen.ports.MonitoringObjectStore.Kind;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Cloud Monitoring's configuration objects in memory, answering as the APIs do: names the kinds the
 * API names, stamps condition names, records and dashboard etags, refuses a stale etag, a duplicate
 * ID or a missing parent, and deletes a Service's SLOs with it. It is the in-memory store and the
 * store behind the loopback gRPC fake. Failures start with the gRPC status they stand for ({@code
 * PERMISSION_DENIED: ...}).
 */
public final class FakeMonitoringObjects implements MonitoringObjectStore {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Map<String, ObjectNode>> byKind = new ConcurrentHashMap<>();
  private final Set<String> denied = ConcurrentHashMap.newKeySet();
  private final AtomicInteger next = new AtomicInteger(1000);
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private volatile int quotaLeft = Integer.MAX_VALUE;

  /** Calls for this project are refused, as for an identity without a role on it. */
  public void deny(String project) {
    denied.add(project);
  }

  /** Only {@code calls} more calls succeed; the rest are refused for quota until reset. */
  public void quota(int calls) {
    quotaLeft = calls;
  }

  /** Calls made, by method (list, create, replace, delete). */
  public int calls(String method) {
    return calls.getOrDefault(method, new AtomicInteger()).get();
  }

  /** Every object of a kind, by name, as stored. */
  public synchronized Map<String, JsonNode> all(Kind kind) {
    return new TreeMap<>(objects(kind));
  }

  /** Someone edits an object by hand, outside Lumen. */
  public synchronized void edit(
      Kind kind, String name, java.util.function.Consumer<ObjectNode> edit) {
    ObjectNode object = objects(kind).get(name);
    if (object == null) {
      throw new IllegalArgumentException("no " + kind + " " + name);
    }
    edit.accept(object);
    stamp(kind, object);
  }

  @Override
  public synchronized List<StoredObject> list(Kind kind, String parent) {
    check("list", parent);
    if (kind == Kind.SERVICE_LEVEL_OBJECTIVE && !objects(Kind.SERVICE).containsKey(parent)) {
      throw PortException.permanentFailure("NOT_FOUND: no Service " + parent, null);
    }
    List<StoredObject> found = new ArrayList<>();
    objects(kind)
        .forEach(
            (name, json) -> {
              if (parentOf(kind, name).equals(parent)) {
                found.add(stored(kind, json));
              }
            });
    return found;
  }

  @Override
  public synchronized StoredObject create(
      Kind kind, String parent, Optional<String> id, String json) {
    check("create", parent);
    ObjectNode object = parse(json);
    String name =
        switch (kind) {
          case SERVICE -> parent + "/services/" + id.orElseGet(() -> "s" + next.incrementAndGet());
          case SERVICE_LEVEL_OBJECTIVE -> {
            if (!objects(Kind.SERVICE).containsKey(parent)) {
              throw PortException.permanentFailure("NOT_FOUND: no Service " + parent, null);
            }
            yield parent
                + "/serviceLevelObjectives/"
                + id.orElseGet(() -> "o" + next.incrementAndGet());
          }
          case ALERT_POLICY -> parent + "/alertPolicies/" + next.incrementAndGet();
          case DASHBOARD -> parent + "/dashboards/" + next.incrementAndGet();
        };
    if (objects(kind).containsKey(name)) {
      throw PortException.permanentFailure("ALREADY_EXISTS: " + name, null);
    }
    object.put("name", name);
    stamp(kind, object);
    objects(kind).put(name, object);
    return stored(kind, object);
  }

  @Override
  public synchronized StoredObject replace(Kind kind, String json) {
    ObjectNode object = parse(json);
    String name = object.path("name").asText();
    check("replace", projectOf(name));
    ObjectNode old = objects(kind).get(name);
    if (old == null) {
      throw PortException.permanentFailure("NOT_FOUND: " + name, null);
    }
    if (kind == Kind.DASHBOARD && !old.path("etag").asText().equals(object.path("etag").asText())) {
      throw PortException.transientFailure(
          "ABORTED: the dashboard changed since it was read (etag " + object.path("etag") + ")",
          null);
    }
    if (old.has("creationRecord")) {
      object.set("creationRecord", old.get("creationRecord"));
    }
    stamp(kind, object);
    objects(kind).put(name, object);
    return stored(kind, object);
  }

  @Override
  public synchronized void delete(Kind kind, String name) {
    check("delete", projectOf(name));
    if (objects(kind).remove(name) == null) {
      throw PortException.permanentFailure("NOT_FOUND: " + name, null);
    }
    if (kind == Kind.SERVICE) {
      objects(Kind.SERVICE_LEVEL_OBJECTIVE).keySet().removeIf(n -> n.startsWith(name + "/"));
    }
  }

  @Override
  public void close() {}

  private Map<String, ObjectNode> objects(Kind kind) {
    return byKind.computeIfAbsent(kind.name(), k -> new TreeMap<>());
  }

  private void check(String method, String parentOrName) {
    calls.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
    if (denied.contains(projectOf(parentOrName))) {
      throw PortException.permanentFailure(
          "PERMISSION_DENIED: Permission monitoring denied on " + projectOf(parentOrName), null);
    }
    if (quotaLeft <= 0) {
      throw PortException.transientFailure(
          "RESOURCE_EXHAUSTED: Quota exceeded for quota metric 'Write requests'", null);
    }
    if (quotaLeft != Integer.MAX_VALUE) {
      quotaLeft--;
    }
  }

  /** What the API adds: a dashboard's etag, policy condition names and mutation records. */
  private void stamp(Kind kind, ObjectNode object) {
    String name = object.path("name").asText();
    if (kind == Kind.DASHBOARD) {
      object.put("etag", Integer.toHexString(next.incrementAndGet()));
    }
    if (kind == Kind.ALERT_POLICY) {
      var conditions = object.path("conditions");
      for (int i = 0; i < conditions.size(); i++) {
        ((ObjectNode) conditions.get(i)).put("name", name + "/conditions/" + (i + 1));
      }
      if (!object.has("creationRecord")) {
        object.putObject("creationRecord").put("mutateTime", "2026-12-05T00:00:00Z");
      }
      object.putObject("mutationRecord").put("mutateTime", "2026-12-05T00:00:00Z");
    }
  }

  private static String parentOf(Kind kind, String name) {
    String marker =
        switch (kind) {
          case SERVICE -> "/services/";
          case SERVICE_LEVEL_OBJECTIVE -> "/serviceLevelObjectives/";
          case ALERT_POLICY -> "/alertPolicies/";
          case DASHBOARD -> "/dashboards/";
        };
    return name.substring(0, name.lastIndexOf(marker));
  }

  static String projectOf(String name) {
    String[] parts = name.split("/");
    return parts.length > 1 ? parts[1] : name;
  }

  private static StoredObject stored(Kind kind, ObjectNode json) {
    JsonNode labels = json.path(kind == Kind.DASHBOARD ? "labels" : "userLabels");
    Map<String, String> map = new TreeMap<>();
    labels.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
    return new StoredObject(kind, json.path("name").asText(), map, json.toString());
  }

  private static ObjectNode parse(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
