package dev.lumen.notify;

import dev.lumen.engine.Severity;

/**
 * One message about one resource.
 *
 * @param resource kind/name, e.g. LumenPolicy/checkout
 * @param service the Cloud Run service
 * @param severity picks the channel and is marked in the message
 * @param kind what happened, CamelCase, e.g. RolledBack
 */
public record Notification(
    String namespace,
    String resource,
    String service,
    Severity severity,
    String kind,
    String text) {}
