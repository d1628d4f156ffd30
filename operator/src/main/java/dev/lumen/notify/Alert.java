package dev.lumen.notify;

import java.util.Map;

/**
 * An Alertmanager alert: labels identify it (alertname, severity, service, and the resource),
 * annotations explain it.
 */
public record Alert(Map<String, String> labels, Map<String, String> annotations) {}
