package dev.lumen.reconciler;

import dev.lumen.metrics.LumenMetrics;
import dev.lumen.notify.Announcer;
import dev.lumen.notify.EventRecorder;
import dev.lumen.tenancy.Tenancy;
import java.time.Clock;

/**
 * What both reconcilers report through, their sense of time, and who may manage which service.
 *
 * @param figures Lumen's figures as Cloud Monitoring custom metrics, with
 *     --cloud-monitoring-figures
 * @param shard the resources this operator serves (--shard); the others it leaves alone
 */
public record Shell(
    Clock clock,
    Pacing pacing,
    EventRecorder events,
    Announcer announcer,
    LumenMetrics metrics,
    Tenancy tenancy,
    java.util.Optional<dev.lumen.monitoring.LumenFigures> figures,
    dev.lumen.runtime.Shard shard) {}
