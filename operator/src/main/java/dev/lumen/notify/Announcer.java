package dev.lumen.notify;

import dev.lumen.ports.HttpEndpoint;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Sends a resource's messages to Slack and keeps its Alertmanager alerts in step with status. */
public final class Announcer {
  private final Notifier notifier;
  private final Dispatcher dispatcher;
  private final AlertTracker alerts;

  public Announcer(Notifier notifier, Dispatcher dispatcher, AlertTracker alerts) {
    this.notifier = notifier;
    this.dispatcher = dispatcher;
    this.alerts = alerts;
  }

  /**
   * Posts {@code n} to the critical webhook when it is critical and one is configured, otherwise to
   * the main webhook; nothing without a webhook.
   */
  public void slack(Optional<URI> webhook, Optional<URI> criticalWebhook, Notification n) {
    Optional<URI> target = n.critical() ? criticalWebhook.or(() -> webhook) : webhook;
    target.ifPresent(
        uri ->
            dispatcher.submit(
                "slack", n.kind() + " of " + n.resource(), () -> notifier.slack(uri, n)));
  }

  public void alerts(
      String resource, HttpEndpoint alertmanager, Map<String, Alert> firing, Instant now) {
    alerts.update(resource, alertmanager, firing, now);
  }

  public void forget(String resource, Instant now, String why) {
    alerts.forget(resource, now, why);
  }
}
