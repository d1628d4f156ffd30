package dev.lumen.observe;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.ports.CloudRunServices;
import dev.lumen.ports.CloudRunServices.ServiceState;
import dev.lumen.ports.PortException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Cloud Run services read a project and region at a time. Every policy observes its service every
 * minute; one {@code GetService} each made Cloud Run calls grow with the fleet (1,000 a minute at
 * 1,000 policies). Where several watched services share a project, region and caller, one {@code
 * ListServices} serves them all for {@link #MAX_AGE}, and concurrent readers wait for the listing
 * in flight instead of sending their own.
 *
 * <p>What a listing may not do is hide Lumen's own change: a service Lumen changed is read on its
 * own until a listing begun after the change exists. A person's change shows up within {@link
 * #MAX_AGE}; before Lumen makes a traffic change the cycle reads the service again ({@link
 * PolicyObserver.Observation#current}), so a decision taken on a listing never overwrites what a
 * person did in between. A location with a single watched service, a listing that fails (for one
 * {@link #MAX_AGE}) and a service the listing lacks are read one by one, as before.
 */
public final class ServiceListings {
  /**
   * How long a listing stands for its services. Policies are evaluated once a minute, spread over
   * it, so a location costs two listings a minute at most and a person's change is seen within 40
   * seconds plus the policy's next evaluation.
   */
  public static final Duration MAX_AGE = Duration.ofSeconds(40);

  /** Fewer watched services in a location are read one by one: a listing would cost as much. */
  static final int LIST_FROM = 2;

  /** The services one caller may read in one project and region. */
  private record Location(CloudRunServices source, String project, String region) {}

  /**
   * A listing refused for good (the caller may read its services but not list the project: IAM
   * granted on the services alone) is not asked for again for this long.
   */
  static final Duration REFUSAL_KEPT = Duration.ofHours(1);

  private record Listing(
      Instant at, CompletableFuture<Map<String, ServiceState>> services, AtomicBoolean refused) {
    boolean standsFor(Instant now) {
      return at.plus(refused.get() ? REFUSAL_KEPT : MAX_AGE).isAfter(now);
    }
  }

  /**
   * A service as read.
   *
   * @param listed whether it came from a listing, which may be up to {@link #MAX_AGE} old
   */
  public record Read(ServiceState state, boolean listed) {}

  private final Clock clock;
  private final Map<String, Location> watchedBy = new ConcurrentHashMap<>();
  private final Map<Location, Set<String>> watchers = new ConcurrentHashMap<>();
  private final Map<Location, Listing> listings = new ConcurrentHashMap<>();
  private final Map<String, Instant> changedAt = new ConcurrentHashMap<>();

  public ServiceListings(Clock clock) {
    this.clock = clock;
  }

  /**
   * The service {@code owner} (a resource) watches, read through {@code source} (the caller's view
   * of Cloud Run).
   *
   * @throws dev.lumen.ports.PortException when Cloud Run cannot tell
   */
  public Read read(String owner, CloudRunServices source, CloudRunServiceReference ref) {
    var location = new Location(source, ref.project(), ref.region());
    watch(owner, location);
    if (watchers.getOrDefault(location, Set.of()).size() < LIST_FROM) {
      return new Read(source.get(ref), false);
    }
    Instant now = clock.instant();
    Instant changed = changedAt.get(ref.resourceName());
    Listing listing = listing(location, now);
    if (changed != null && !listing.at().isAfter(changed)) {
      return new Read(source.get(ref), false);
    }
    ServiceState listed;
    try {
      listed = listing.services().join().get(ref.name());
    } catch (CompletionException e) {
      listed = null;
    }
    return listed == null ? new Read(source.get(ref), false) : new Read(listed, true);
  }

  /**
   * Lumen changed (or tried to change) {@code ref} just now, or read it on its own to act on it:
   * listings begun before do not stand for it, so no later cycle sees an older state than the one
   * acted on.
   */
  public void changed(CloudRunServiceReference ref) {
    Instant now = clock.instant();
    changedAt.put(ref.resourceName(), now);
    // Older marks cannot matter: no listing that old stands for anything any more.
    changedAt.values().removeIf(at -> !at.plus(MAX_AGE).isAfter(now));
  }

  /** {@code owner} is gone. */
  public void forget(String owner) {
    Location location = watchedBy.remove(owner);
    if (location != null) {
      unwatch(owner, location);
    }
  }

  private void watch(String owner, Location location) {
    Location before = watchedBy.put(owner, location);
    if (before != null && !before.equals(location)) {
      unwatch(owner, before);
    }
    watchers.computeIfAbsent(location, l -> ConcurrentHashMap.newKeySet()).add(owner);
  }

  private void unwatch(String owner, Location location) {
    watchers.computeIfPresent(
        location,
        (l, owners) -> {
          owners.remove(owner);
          if (owners.isEmpty()) {
            listings.remove(l);
            return null;
          }
          return owners;
        });
  }

  /** The listing that stands for {@code location} now, read if there is none. */
  private Listing listing(Location location, Instant now) {
    var mine = new CompletableFuture<Map<String, ServiceState>>();
    Listing listing =
        listings.compute(
            location,
            (l, existing) ->
                existing != null && existing.standsFor(now)
                    ? existing
                    : new Listing(now, mine, new AtomicBoolean()));
    if (listing.services() == mine) {
      try {
        mine.complete(Map.copyOf(location.source().list(location.project(), location.region())));
      } catch (RuntimeException e) {
        // Stands as failed (for MAX_AGE, or REFUSAL_KEPT if refused for good): the services are
        // read one by one meanwhile.
        listing.refused().set(e instanceof PortException p && !p.isTransient());
        mine.completeExceptionally(e);
      }
    }
    return listing;
  }
}
