package dev.lumen.reconciler.slotarget;

import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.ports.PortException;
import dev.lumen.reconciler.Shell;
import dev.lumen.tenancy.Caller;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The finalizer that lets Lumen delete an SLOTarget's Cloud Monitoring objects before Kubernetes
 * forgets the SLOTarget, even when no operator ran at the moment it was deleted. It is added while
 * the operator keeps objects (--cloud-monitoring-objects). A deletion that keeps failing (a revoked
 * role) is given up after {@link #GIVE_UP}, with a warning event naming what was left, so an
 * SLOTarget or its namespace is never held for ever; an operator started without the feature
 * removes the finalizer at once and leaves the objects.
 */
final class MonitoringObjectsFinalizer {
  static final String NAME = "lumen.dev/monitoring-objects";
  static final Duration RETRY = Duration.ofMinutes(1);
  static final Duration GIVE_UP = Duration.ofMinutes(30);
  private static final Logger LOG = LoggerFactory.getLogger(MonitoringObjectsFinalizer.class);

  private final Optional<MonitoringObjectsPublisher> publisher;
  private final Shell shell;

  MonitoringObjectsFinalizer(Optional<MonitoringObjectsPublisher> publisher, Shell shell) {
    this.publisher = publisher;
    this.shell = shell;
  }

  /**
   * For an SLOTarget being deleted that still holds the finalizer: deletes its objects and lets it
   * go; empty when the SLOTarget is not being deleted or was never held.
   */
  Optional<UpdateControl<SLOTarget>> finish(SLOTarget target, Context<SLOTarget> context) {
    if (!target.isMarkedForDeletion() || !target.hasFinalizer(NAME)) {
      return Optional.empty();
    }
    if (publisher.isEmpty()) {
      release(
          target,
          context,
          "the operator runs without --cloud-monitoring-objects; its objects in Cloud Monitoring are left as they are");
      return Optional.of(UpdateControl.noUpdate());
    }
    var access =
        shell.tenancy().access(target.getMetadata().getNamespace(), target.cloudRunService());
    try {
      int deleted =
          Caller.runAs(
              new Caller(target.getMetadata().getNamespace(), access.googleServiceAccount()),
              () -> publisher.get().delete(target));
      release(target, context, "deleted its " + deleted + " Cloud Monitoring objects");
      return Optional.of(UpdateControl.noUpdate());
    } catch (PortException e) {
      return failed(target, context, e);
    } catch (RuntimeException e) {
      // A spec Lumen cannot read names no objects it could find: never hold the SLOTarget for it.
      shell
          .events()
          .record(
              target,
              true,
              "MonitoringObjectsLeft",
              "Could not work out the SLOTarget's Cloud Monitoring objects from its spec ("
                  + e
                  + "); delete the objects labelled lumen-namespace and lumen-slotarget by hand");
      release(target, context, "left its Cloud Monitoring objects: " + e);
      return Optional.of(UpdateControl.noUpdate());
    }
  }

  /** A deletion the API refused: tried again, given up after {@link #GIVE_UP}. */
  private Optional<UpdateControl<SLOTarget>> failed(
      SLOTarget target, Context<SLOTarget> context, PortException e) {
    Instant since = Instant.parse(target.getMetadata().getDeletionTimestamp());
    if (since.plus(GIVE_UP).isBefore(shell.clock().instant())) {
      shell
          .events()
          .record(
              target,
              true,
              "MonitoringObjectsLeft",
              "Gave up deleting the SLOTarget's Cloud Monitoring objects after "
                  + GIVE_UP.toMinutes()
                  + " minutes: "
                  + e.getMessage()
                  + "; delete the objects labelled lumen-namespace and lumen-slotarget by hand");
      release(target, context, "gave up deleting its Cloud Monitoring objects: " + e.getMessage());
      return Optional.of(UpdateControl.noUpdate());
    }
    LOG.warn(
        "SLOTarget/{}/{}: deleting its Cloud Monitoring objects failed, trying again: {}",
        target.getMetadata().getNamespace(),
        target.getMetadata().getName(),
        e.getMessage());
    return Optional.of(
        UpdateControl.<SLOTarget>noUpdate().rescheduleAfter(shell.pacing().real(RETRY)));
  }

  /** The SLOTarget as held by the finalizer, when the operator keeps its objects. */
  SLOTarget hold(SLOTarget target, Context<SLOTarget> context) {
    if (publisher.isEmpty() || target.hasFinalizer(NAME) || target.isMarkedForDeletion()) {
      return target;
    }
    return PrimaryUpdateAndCacheUtils.addFinalizer(context, NAME);
  }

  private void release(SLOTarget target, Context<SLOTarget> context, String what) {
    PrimaryUpdateAndCacheUtils.removeFinalizer(context, NAME);
    LOG.info(
        "SLOTarget/{}/{} MonitoringObjectsReleased: {}",
        target.getMetadata().getNamespace(),
        target.getMetadata().getName(),
        what);
  }
}
