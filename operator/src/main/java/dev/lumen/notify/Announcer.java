package dev.lumen.notify;

import dev.lumen.ports.HttpEndpoint;
import java.time.Instant;
import java.util.Map;

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

  /** Posts {@code n} to the channel of its severity; nothing without a webhook. */
  public void slack(SlackChannels channels, Notification n) {
    channels
        .route(n.severity())
        .ifPresent(
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
