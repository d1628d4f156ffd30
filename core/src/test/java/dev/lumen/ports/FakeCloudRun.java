package dev.lumen.ports;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.engine.measure.TrafficSplit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Cloud Run in memory: the state behind the in-memory port and behind the loopback gRPC fake
 * (sim/CloudRunGrpcFake), so both serve the same services. Tests and the simulator create services,
 * deploy revisions and edit traffic "outside Lumen" through it.
 */
public final class FakeCloudRun implements CloudRunServices {
  /** One service's state; copies are handed out, the original changes only under the lock. */
  public record Service(
      String name,
      List<RevisionInfo> revisions,
      Map<String, Integer> traffic,
      Map<String, String> tags,
      int minInstances,
      long generation,
      String etag) {

    public String latestReadyRevision() {
      return revisions.stream()
          .filter(RevisionInfo::ready)
          .reduce((a, b) -> b)
          .map(RevisionInfo::name)
          .orElse(null);
    }
  }

  /** The etag sent with an update is not the current one: someone changed the service since. */
  public static final class EtagMismatch extends RuntimeException {
    EtagMismatch(String message) {
      super(message);
    }
  }

  private final Map<String, Service> services = new HashMap<>();
  private final Map<String, Map<String, Integer>> serving = new HashMap<>();
  private final Map<String, String> refusals = new HashMap<>();
  private final AtomicInteger writes = new AtomicInteger();
  private final List<Map<String, Integer>> trafficChanges =
      java.util.Collections.synchronizedList(new ArrayList<>());
  private final List<MinInstancesChange> minInstancesChanges =
      java.util.Collections.synchronizedList(new ArrayList<>());

  /** A min-instances value applied to a service (its full resource name). */
  public record MinInstancesChange(String service, int minInstances) {}

  public synchronized void create(CloudRunServiceReference ref, String revision, Instant created) {
    var revisions = List.of(new RevisionInfo(revision, created, true));
    services.put(
        ref.resourceName(),
        new Service(
            ref.resourceName(), revisions, Map.of(revision, 100), Map.of(), 0, 1, "etag-1"));
  }

  /** A new ready revision, as `gcloud run deploy --no-traffic` makes one. */
  public synchronized void deploy(CloudRunServiceReference ref, String revision, Instant created) {
    Service s = require(ref.resourceName());
    var revisions = new ArrayList<>(s.revisions());
    revisions.add(new RevisionInfo(revision, created, true));
    put(s, List.copyOf(revisions), s.traffic(), s.tags(), s.minInstances());
  }

  /** A revision stops being ready (its image was deleted, it cannot start). */
  public synchronized void breakRevision(CloudRunServiceReference ref, String revision) {
    Service s = require(ref.resourceName());
    var revisions =
        s.revisions().stream()
            .map(
                r -> r.name().equals(revision) ? new RevisionInfo(r.name(), r.created(), false) : r)
            .toList();
    put(s, revisions, s.traffic(), s.tags(), s.minInstances());
  }

  /** Someone else routes traffic (the console, gcloud, a script); Cloud Run serves it. */
  public synchronized void editTrafficOutsideLumen(
      CloudRunServiceReference ref, Map<String, Integer> split) {
    Service s = require(ref.resourceName());
    put(s, s.revisions(), TrafficSplit.withoutZeros(split), s.tags(), s.minInstances());
    serving.put(s.name(), TrafficSplit.withoutZeros(split));
  }

  /**
   * From now on Cloud Run accepts traffic updates of the service but cannot roll them out: it goes
   * on serving what it served, and its terminal condition fails with {@code message} (as when the
   * revision to serve was deleted or cannot start).
   */
  public synchronized void failToServeTrafficChanges(CloudRunServiceReference ref, String message) {
    Service s = require(ref.resourceName());
    serving.putIfAbsent(s.name(), s.traffic());
    refusals.put(s.name(), message);
  }

  /** Traffic updates of the service are served again, the last one included. */
  public synchronized void serveTrafficChanges(CloudRunServiceReference ref) {
    refusals.remove(ref.resourceName());
    serving.remove(ref.resourceName());
  }

  /** Percent per revision that the service serves; its configured traffic unless refusing. */
  public synchronized Map<String, Integer> servingOf(Service s) {
    return serving.getOrDefault(s.name(), s.traffic());
  }

  /** Why the service does not serve its configured traffic, if it does not. */
  public synchronized Optional<String> terminalFailureOf(Service s) {
    return servingOf(s).equals(s.traffic())
        ? Optional.empty()
        : Optional.ofNullable(refusals.get(s.name()));
  }

  public synchronized Optional<Service> find(String name) {
    return Optional.ofNullable(services.get(name));
  }

  /**
   * Applies an update whose etag must be the current one.
   *
   * @param traffic new traffic, or null to keep it
   * @param tags new tags, or null to keep them
   * @param minInstances new min-instances, or null to keep it
   */
  public synchronized Service update(
      String name,
      String etag,
      Map<String, Integer> traffic,
      Map<String, String> tags,
      Integer minInstances) {
    Service s = require(name);
    if (etag != null && !etag.isEmpty() && !etag.equals(s.etag())) {
      throw new EtagMismatch("etag " + etag + " is not the current " + s.etag());
    }
    if (traffic != null) {
      int sum = traffic.values().stream().mapToInt(Integer::intValue).sum();
      var known = s.revisions().stream().map(RevisionInfo::name).toList();
      if (sum != 100 || !known.containsAll(traffic.keySet())) {
        throw new IllegalArgumentException(
            "traffic must name existing revisions and sum to 100: " + traffic);
      }
    }
    writes.incrementAndGet();
    if (traffic != null && !TrafficSplit.withoutZeros(traffic).equals(s.traffic())) {
      // A change of tags alone is no change of traffic.
      trafficChanges.add(TrafficSplit.withoutZeros(traffic));
      if (!refusals.containsKey(name)) {
        serving.remove(name);
      }
    }
    if (minInstances != null && minInstances != s.minInstances()) {
      minInstancesChanges.add(new MinInstancesChange(name, minInstances));
    }
    return put(
        s,
        s.revisions(),
        traffic == null ? s.traffic() : TrafficSplit.withoutZeros(traffic),
        tags == null ? s.tags() : Map.copyOf(tags),
        minInstances == null ? s.minInstances() : minInstances);
  }

  /** Changes the etag as a concurrent writer would, without changing anything else. */
  public synchronized void touch(String name) {
    Service s = require(name);
    put(s, s.revisions(), s.traffic(), s.tags(), s.minInstances());
  }

  /** Every traffic split applied through {@link #update}, in order (edits outside Lumen not). */
  public List<Map<String, Integer>> trafficChanges() {
    synchronized (trafficChanges) {
      return List.copyOf(trafficChanges);
    }
  }

  /** Every change of min-instances applied through {@link #update}, in order. */
  public List<MinInstancesChange> minInstancesChanges() {
    synchronized (minInstancesChanges) {
      return List.copyOf(minInstancesChanges);
    }
  }

  /** Updates applied so far. */
  public int writes() {
    return writes.get();
  }

  @Override
  public synchronized ServiceState get(CloudRunServiceReference ref) {
    Service s = services.get(ref.resourceName());
    if (s == null) {
      throw PortException.permanentFailure("service " + ref.resourceName() + " not found", null);
    }
    return stateOf(s);
  }

  @Override
  public synchronized Map<String, ServiceState> list(String project, String region) {
    Map<String, ServiceState> listed = new java.util.TreeMap<>();
    inLocation(project, region)
        .forEach(s -> listed.put(s.name().substring(s.name().lastIndexOf('/') + 1), stateOf(s)));
    return listed;
  }

  /** The services of {@code project} in {@code region}, by name. */
  public synchronized List<Service> inLocation(String project, String region) {
    String parent = "projects/" + project + "/locations/" + region + "/services/";
    return services.values().stream()
        .filter(s -> s.name().startsWith(parent))
        .sorted(java.util.Comparator.comparing(Service::name))
        .toList();
  }

  private ServiceState stateOf(Service s) {
    Map<String, Integer> served = servingOf(s);
    return new ServiceState(
        s.latestReadyRevision(),
        s.traffic(),
        s.tags(),
        Optional.of(s.minInstances()),
        s.etag(),
        false,
        InstanceSize.DEFAULT,
        served,
        served.equals(s.traffic())
            ? Optional.empty()
            : Optional.ofNullable(refusals.get(s.name())));
  }

  @Override
  public synchronized List<RevisionInfo> revisions(CloudRunServiceReference ref) {
    get(ref);
    return services.get(ref.resourceName()).revisions();
  }

  @Override
  public synchronized void setTraffic(
      CloudRunServiceReference ref, Map<String, Integer> split, Map<String, String> tags) {
    ServiceState current = get(ref);
    if (current.traffic().equals(TrafficSplit.withoutZeros(split)) && current.tags().equals(tags)) {
      return;
    }
    try {
      update(ref.resourceName(), current.etag(), split, tags, null);
    } catch (IllegalArgumentException e) {
      throw PortException.permanentFailure(e.getMessage(), e);
    }
  }

  @Override
  public synchronized void setMinInstances(CloudRunServiceReference ref, int count) {
    ServiceState current = get(ref);
    if (current.minInstances().orElse(0) == count) {
      return;
    }
    update(ref.resourceName(), current.etag(), null, null, count);
  }

  private Service require(String name) {
    Service s = services.get(name);
    if (s == null) {
      throw new IllegalArgumentException("no service " + name);
    }
    return s;
  }

  private Service put(
      Service s,
      List<RevisionInfo> revisions,
      Map<String, Integer> traffic,
      Map<String, String> tags,
      int minInstances) {
    long generation = s.generation() + 1;
    var updated =
        new Service(
            s.name(), revisions, traffic, tags, minInstances, generation, "etag-" + generation);
    services.put(s.name(), updated);
    return updated;
  }

  @Override
  public void close() {}
}
