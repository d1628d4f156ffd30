package dev.lumen.reconciler.slotarget;

import dev.lumen.act.MonitoringObjectsSync;
import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.monitoring.MonitoringObjects;
import dev.lumen.monitoring.Ownership;
import dev.lumen.ports.MonitoringObjectStore;
import dev.lumen.ports.PortException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Keeps the Cloud Monitoring objects of each SLOTarget (its Service, SLOs, burn-rate alert policies
 * and dashboard) as {@code lumen monitoring} renders them, in the SLOTarget's metrics project, as
 * the namespace's Google identity. Objects are read back when the SLOTarget's generation changes,
 * or {@link #RECHECK} after they were last seen right, which repairs hand edits and deletions
 * within that time without listing four APIs every evaluation of every SLOTarget.
 */
public final class MonitoringObjectsPublisher {
  static final Duration RECHECK = Duration.ofMinutes(10);

  public static final String REASON_SYNCED = "Synced";
  public static final String REASON_NOT_OWNED = "NotOwned";
  public static final String REASON_PERMISSION_DENIED = "PermissionDenied";
  public static final String REASON_QUOTA_EXCEEDED = "QuotaExceeded";
  public static final String REASON_REJECTED = "Rejected";
  public static final String REASON_UNAVAILABLE = "Unavailable";
  public static final String REASON_PROJECT_NOT_BOUND = "ProjectNotBound";

  /** The MonitoringObjectsSynced condition to report. */
  public record Outcome(Condition.Status status, String reason, String message) {}

  private final MonitoringObjectStore store;
  private final Clock clock;
  private final SeenRight<Outcome> seenRight = new SeenRight<>(RECHECK);

  public MonitoringObjectsPublisher(MonitoringObjectStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * Creates, repairs or deletes the objects of {@code target}, which must have passed validation
   * and carry the schema's defaults; called as the SLOTarget's Google identity.
   *
   * @param policy the LumenPolicy of the same service, whose gates draw limits on the dashboard;
   *     looked up only when the objects are rendered
   */
  public Outcome publish(SLOTarget target, Supplier<Optional<LumenPolicy>> policy) {
    String key = Objects.requireNonNull(target.getMetadata().getUid(), "uid");
    long generation = Objects.requireNonNullElse(target.getMetadata().getGeneration(), 0L);
    Instant now = clock.instant();
    var seen = seenRight.stillRight(key, generation, now);
    if (seen.isPresent()) {
      return seen.get();
    }
    var objects = MonitoringObjects.of(target, policy.get());
    try {
      var done =
          new MonitoringObjectsSync(store, Ownership.labels(target))
              .sync(objects.desired(), objects.scope());
      if (!done.notOwned().isEmpty()) {
        seenRight.forget(key);
        return new Outcome(
            Condition.Status.False,
            REASON_NOT_OWNED,
            String.join(", ", done.notOwned())
                + " exists without this SLOTarget's labels ("
                + Ownership.MANAGED_BY
                + "="
                + Ownership.LUMEN
                + ", "
                + Ownership.NAMESPACE
                + ", "
                + Ownership.SLO_TARGET
                + "); Lumen leaves it alone. Delete it, or rename this SLOTarget");
      }
      var outcome =
          new Outcome(
              Condition.Status.True,
              REASON_SYNCED,
              "In project "
                  + objects.project()
                  + ": 1 Service, "
                  + objects.objectives().size()
                  + " SLOs, "
                  + objects.alertPolicies().size()
                  + " alert policies, 1 dashboard ("
                  + done.created()
                  + " created, "
                  + done.replaced()
                  + " repaired or updated, "
                  + done.deleted()
                  + " deleted)"
                  + notExpressed(objects));
      seenRight.right(key, generation, now, outcome);
      return outcome;
    } catch (PortException e) {
      seenRight.forget(key);
      return failure(e, objects.project());
    }
  }

  /** Deletes the objects of a deleted SLOTarget; how many. */
  public int delete(SLOTarget target) {
    seenRight.forget(Objects.requireNonNullElse(target.getMetadata().getUid(), ""));
    return new MonitoringObjectsSync(store, Ownership.labels(target))
        .deleteAll(MonitoringObjects.scope(target));
  }

  private static String notExpressed(MonitoringObjects objects) {
    if (objects.notExpressed().isEmpty()) {
      return "";
    }
    StringBuilder text = new StringBuilder("; no SLO for ");
    objects
        .notExpressed()
        .forEach(
            n ->
                text.append(text.length() > 13 ? "; for " : "")
                    .append(n.objective())
                    .append(": ")
                    .append(n.why()));
    return text.toString();
  }

  /**
   * The reason names what to fix: the store's failures carry the API's status code (e.g. "create
   * ALERT_POLICY under projects/p: PERMISSION_DENIED ...").
   */
  private static Outcome failure(PortException e, String project) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    if (message.contains("PERMISSION_DENIED")) {
      return new Outcome(
          Condition.Status.False,
          REASON_PERMISSION_DENIED,
          message
              + "; the identity Lumen acts as for this namespace needs roles/monitoring.editor"
              + " on project "
              + project
              + " (docs/cloud-monitoring.md)");
    }
    if (message.contains("RESOURCE_EXHAUSTED")) {
      return new Outcome(
          Condition.Status.False,
          REASON_QUOTA_EXCEEDED,
          message + "; Lumen tries again at the next evaluation");
    }
    if (!e.isTransient()) {
      return new Outcome(Condition.Status.False, REASON_REJECTED, message);
    }
    return new Outcome(
        Condition.Status.Unknown,
        REASON_UNAVAILABLE,
        message + "; Lumen tries again at the next evaluation");
  }
}
