package dev.lumen.reconciler;

import dev.lumen.metrics.LumenMetrics;
import dev.lumen.notify.Announcer;
import dev.lumen.notify.EventRecorder;
import java.time.Clock;

/** What both reconcilers report through, and their sense of time. */
public record Shell(
    Clock clock, Pacing pacing, EventRecorder events, Announcer announcer, LumenMetrics metrics) {}
