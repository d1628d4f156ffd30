package dev.lumen.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lumen.http.BoundedExchange;
import dev.lumen.ports.HttpEndpoint;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Posts to Slack incoming webhooks and to Alertmanager's API v2 over HTTP. */
public class Notifier {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Slack and Alertmanager answer with a few bytes; anything much longer is not one of them. */
  static final int MAX_RESPONSE_BYTES = 64 * 1024;

  private final HttpClient http;
  private final Duration timeout;

  public Notifier(Duration timeout) {
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** One Slack message: severity first, then the resource, the service and the text. */
  public void slack(URI webhook, Notification n) throws IOException {
    String text =
        (switch (n.severity()) {
              case Critical -> "[CRITICAL] ";
              case Warning -> "[WARNING] ";
              case Info -> "[info] ";
            })
            + n.kind()
            + " · "
            + n.namespace()
            + "/"
            + n.resource()
            + " · service "
            + n.service()
            + "\n"
            + n.text();
    post(webhook, Optional.empty(), JSON.writeValueAsString(Map.of("text", text)));
  }

  /**
   * Sends firing and resolved alerts. Firing alerts end at {@code firingUntil}, so that they
   * resolve by themselves if Lumen stops re-sending them; resolved ones end now.
   */
  public void alerts(
      HttpEndpoint alertmanager,
      List<Alert> firing,
      List<Alert> resolved,
      Instant now,
      Instant firingUntil)
      throws IOException {
    ArrayNode body = JSON.createArrayNode();
    firing.forEach(a -> body.add(alert(a, now, firingUntil)));
    resolved.forEach(a -> body.add(alert(a, now, now)));
    String base = alertmanager.url().toString().replaceAll("/+$", "");
    post(
        URI.create(base + "/api/v2/alerts"),
        alertmanager.authorization(),
        JSON.writeValueAsString(body));
  }

  private static ObjectNode alert(Alert alert, Instant startsAt, Instant endsAt) {
    ObjectNode node = JSON.createObjectNode();
    node.set("labels", JSON.valueToTree(alert.labels()));
    node.set("annotations", JSON.valueToTree(alert.annotations()));
    node.put("startsAt", startsAt.toString());
    node.put("endsAt", endsAt.toString());
    return node;
  }

  private void post(URI uri, Optional<String> authorization, String body) throws IOException {
    var builder =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    authorization.ifPresent(value -> builder.header("Authorization", value));
    var request = builder.build();
    HttpResponse<String> response;
    try {
      response = BoundedExchange.send(http, request, MAX_RESPONSE_BYTES, timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (response.statusCode() / 100 != 2) {
      // The URL is left out: a webhook URL is a secret.
      throw new IOException("HTTP " + response.statusCode() + " from " + uri.getHost());
    }
  }
}
