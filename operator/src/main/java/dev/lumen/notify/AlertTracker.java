package dev.lumen.notify;

import dev.lumen.ports.HttpEndpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which alerts each resource has firing at Alertmanager. A resource's alerts follow its conditions:
 * new ones are sent at once, firing ones again every {@code resendEvery} (Alertmanager forgets an
 * alert whose end passes), and an alert that stops firing is sent once as resolved.
 */
public final class AlertTracker {
  private final Notifier notifier;
  private final Dispatcher dispatcher;
  private final Duration resendEvery;
  private final Map<String, Sent> sent = new ConcurrentHashMap<>();

  private record Sent(HttpEndpoint alertmanager, Map<String, Alert> firing, Instant at) {}

  public AlertTracker(Notifier notifier, Dispatcher dispatcher, Duration resendEvery) {
    this.notifier = notifier;
    this.dispatcher = dispatcher;
    this.resendEvery = resendEvery;
  }

  /**
   * The alerts of {@code resource} that fire now, by alertname.
   *
   * @param alertmanager where to send them; null when the resource has no Alertmanager, which
   *     resolves what was sent before
   */
  public void update(
      String resource, HttpEndpoint alertmanager, Map<String, Alert> firing, Instant now) {
    Sent before = sent.get(resource);
    Map<String, Alert> previous = before == null ? Map.of() : before.firing();
    List<Alert> resolved = new ArrayList<>();
    previous.forEach(
        (name, alert) -> {
          if (!firing.containsKey(name) || alertmanager == null) {
            resolved.add(alert);
          }
        });
    if (alertmanager == null) {
      if (before != null) {
        send(before.alertmanager(), List.of(), resolved, now);
        sent.remove(resource);
      }
      return;
    }
    boolean changed = !previous.keySet().equals(firing.keySet()) || !resolved.isEmpty();
    boolean due = before == null || !now.isBefore(before.at().plus(resendEvery));
    if ((changed || due) && (!firing.isEmpty() || !resolved.isEmpty())) {
      send(alertmanager, List.copyOf(firing.values()), resolved, now);
      sent.put(resource, new Sent(alertmanager, new HashMap<>(firing), now));
    } else if (firing.isEmpty()) {
      sent.remove(resource);
    }
  }

  /**
   * The resource is gone: what it had firing is resolved, each alert with a {@code resolution}
   * annotation saying {@code why}, since nothing was fixed.
   */
  public void forget(String resource, Instant now, String why) {
    Sent before = sent.remove(resource);
    if (before != null && !before.firing().isEmpty()) {
      List<Alert> resolved = new ArrayList<>();
      for (Alert alert : before.firing().values()) {
        Map<String, String> annotations = new LinkedHashMap<>(alert.annotations());
        annotations.put("resolution", why);
        resolved.add(new Alert(alert.labels(), annotations));
      }
      send(before.alertmanager(), List.of(), resolved, now);
    }
  }

  private void send(
      HttpEndpoint alertmanager, List<Alert> firing, List<Alert> resolved, Instant now) {
    Instant until = now.plus(resendEvery.multipliedBy(3));
    dispatcher.submit(
        "alertmanager",
        firing.size() + " firing and " + resolved.size() + " resolved alerts",
        () -> notifier.alerts(alertmanager, firing, resolved, now, until));
  }
}
