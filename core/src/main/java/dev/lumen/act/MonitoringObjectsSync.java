package dev.lumen.act;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lumen.ports.MonitoringObjectStore;
import dev.lumen.ports.MonitoringObjectStore.Kind;
import dev.lumen.ports.MonitoringObjectStore.StoredObject;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Brings the Cloud Monitoring objects of one owner (an SLOTarget) to what is desired: creates the
 * missing, replaces the ones that differ (a hand edit, a changed spec), deletes its own that are no
 * longer desired, and never touches an object whose labels do not name the owner. An object is "as
 * desired" when every field the desired JSON sets has that value; what the API adds (names, etags,
 * records) and labels others add do not count as differences.
 */
public final class MonitoringObjectsSync {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One object as it should be.
   *
   * @param parent where it lives: projects/P, or for an SLO its Service's name
   * @param id the ID of a kind the caller names (Service, SLO); empty for the API-named kinds
   * @param identity labels that tell it apart from the owner's other objects of its kind
   */
  public record Desired(
      Kind kind, String parent, Optional<String> id, Map<String, String> identity, String json) {
    String name() {
      return switch (kind) {
        case SERVICE -> parent + "/services/" + id.orElseThrow();
        case SERVICE_LEVEL_OBJECTIVE -> parent + "/serviceLevelObjectives/" + id.orElseThrow();
        default -> throw new IllegalStateException(kind + " objects are named by the API");
      };
    }
  }

  /** What a sync did; objects named but not the owner's were left alone. */
  public record Outcome(
      int created, int replaced, int deleted, int unchanged, List<String> notOwned) {
    public int total() {
      return created + replaced + unchanged;
    }
  }

  private final MonitoringObjectStore store;
  private final Map<String, String> ownership;

  /**
   * @param ownership the labels every object of the owner carries, and only its objects
   */
  public MonitoringObjectsSync(MonitoringObjectStore store, Map<String, String> ownership) {
    this.store = store;
    this.ownership = Map.copyOf(ownership);
  }

  /**
   * Syncs the desired objects, in the order given (a Service before its SLOs, SLOs before the
   * policies that read them); then the owner's objects in {@code scope} that are not desired are
   * deleted, policies first. A Service that exists but is not the owner's stops the sync: nothing
   * is created under or for it.
   *
   * @param scope the parents to look in for the owner's objects, by kind
   */
  public Outcome sync(List<Desired> desired, Map<Kind, List<String>> scope) {
    int created = 0;
    int replaced = 0;
    int unchanged = 0;
    List<String> notOwned = new ArrayList<>();
    Map<String, List<StoredObject>> listed = new HashMap<>();
    Set<String> kept = new LinkedHashSet<>();
    for (Desired want : desired) {
      List<StoredObject> present =
          listed.computeIfAbsent(
              want.kind() + " " + want.parent(), k -> store.list(want.kind(), want.parent()));
      Optional<StoredObject> found = find(want, present);
      if (found.isPresent() && !owned(found.get())) {
        notOwned.add(found.get().name());
        if (want.kind() == Kind.SERVICE) {
          return new Outcome(created, replaced, 0, unchanged, notOwned);
        }
        continue;
      }
      if (found.isEmpty()) {
        kept.add(store.create(want.kind(), want.parent(), want.id(), want.json()).name());
        created++;
        continue;
      }
      kept.add(found.get().name());
      if (contains(parse(found.get().json()), parse(want.json()))) {
        unchanged++;
      } else {
        store.replace(want.kind(), withIdentityOf(want.json(), found.get()));
        replaced++;
      }
    }
    scope.forEach(
        (kind, parents) ->
            parents.forEach(
                parent ->
                    listed.computeIfAbsent(kind + " " + parent, k -> store.list(kind, parent))));
    List<StoredObject> stale = new ArrayList<>();
    listed.values().forEach(objects -> objects.stream().filter(this::owned).forEach(stale::add));
    stale.removeIf(o -> kept.contains(o.name()));
    deleteInOrder(stale);
    return new Outcome(created, replaced, stale.size(), unchanged, notOwned);
  }

  /**
   * Deletes every object of the owner of these kinds under these parents; how many. SLOs are looked
   * for only under Services that exist: a Service never made, or deleted by hand, has none to list.
   */
  public int deleteAll(Map<Kind, List<String>> parents) {
    Set<String> services = new LinkedHashSet<>();
    for (String parent : parents.getOrDefault(Kind.SERVICE, List.of())) {
      store.list(Kind.SERVICE, parent).forEach(s -> services.add(s.name()));
    }
    List<StoredObject> owned = new ArrayList<>();
    parents.forEach(
        (kind, under) ->
            under.stream()
                .filter(parent -> kind != Kind.SERVICE_LEVEL_OBJECTIVE || services.contains(parent))
                .forEach(
                    parent ->
                        store.list(kind, parent).stream().filter(this::owned).forEach(owned::add)));
    deleteInOrder(owned);
    return owned.size();
  }

  /** Policies before the SLOs they read, SLOs before their Service. */
  private void deleteInOrder(List<StoredObject> objects) {
    objects.stream()
        .sorted(Comparator.comparing(o -> deletionOrder(o.kind())))
        .forEach(o -> store.delete(o.kind(), o.name()));
  }

  private static int deletionOrder(Kind kind) {
    return switch (kind) {
      case ALERT_POLICY -> 0;
      case DASHBOARD -> 1;
      case SERVICE_LEVEL_OBJECTIVE -> 2;
      case SERVICE -> 3;
    };
  }

  private Optional<StoredObject> find(Desired want, List<StoredObject> present) {
    if (want.id().isPresent()) {
      String name = want.name();
      return present.stream().filter(o -> o.name().equals(name)).findFirst();
    }
    return present.stream()
        .filter(this::owned)
        .filter(o -> o.labels().entrySet().containsAll(want.identity().entrySet()))
        .findFirst();
  }

  private boolean owned(StoredObject object) {
    return object.labels().entrySet().containsAll(ownership.entrySet());
  }

  /** The desired JSON with the found object's name, and its etag so the API can tell races. */
  private static String withIdentityOf(String json, StoredObject found) {
    ObjectNode desired = (ObjectNode) parse(json);
    desired.put("name", found.name());
    JsonNode etag = parse(found.json()).path("etag");
    if (etag.isTextual()) {
      desired.put("etag", etag.asText());
    }
    return desired.toString();
  }

  /** Whether every field {@code want} sets has that value in {@code have}. */
  static boolean contains(JsonNode have, JsonNode want) {
    if (want.isObject()) {
      if (!have.isObject()) {
        return false;
      }
      var fields = want.fields();
      while (fields.hasNext()) {
        var field = fields.next();
        if (!contains(have.path(field.getKey()), field.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (want.isArray()) {
      if (!have.isArray() || have.size() != want.size()) {
        return false;
      }
      for (int i = 0; i < want.size(); i++) {
        if (!contains(have.get(i), want.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (want.isNumber()) {
      return have.isNumber() && Double.compare(have.asDouble(), want.asDouble()) == 0;
    }
    return want.equals(have);
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
