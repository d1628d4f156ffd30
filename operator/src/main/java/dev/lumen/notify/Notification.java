package dev.lumen.notify;

/**
 * One message about one resource.
 *
 * @param resource kind/name, e.g. LumenPolicy/checkout
 * @param service the Cloud Run service
 * @param critical routes to the critical channel and is marked as such
 * @param kind what happened, CamelCase, e.g. RolledBack
 */
public record Notification(
    String namespace,
    String resource,
    String service,
    boolean critical,
    String kind,
    String text) {}
