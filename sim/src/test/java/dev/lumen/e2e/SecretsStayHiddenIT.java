package dev.lumen.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.metrics.LumenPrometheusRegistry;
import dev.lumen.testkit.Await;
import dev.lumen.testkit.HttpSink;
import dev.lumen.testkit.world.SimWorld.Behaviour;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A policy that uses every Secret Lumen reads (Slack webhooks, a Redis URL with a password), while
 * the channels and Redis fail and a canary is rolled back: no Secret's value appears in the policy,
 * its events, the operator's logs (Lumen's at DEBUG), the metrics, or what Alertmanager is sent.
 */
class SecretsStayHiddenIT {
  static final String NAME = "hushed";
  static final String SLACK_TOKEN = "xoxb-SLACK-SECRET-4f2a";
  static final String CRITICAL_TOKEN = "xoxb-CRITICAL-SECRET-9c1d";
  static final String REDIS_PASSWORD = "REDIS-PASSWORD-77e1";
  static final String UNUSED = "UNUSED-SECRET-0b3c";

  @Test
  void noSecretValueLeavesItsSecret() {
    var logs = new ListAppender<ILoggingEvent>();
    Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    Logger lumen = (Logger) LoggerFactory.getLogger("dev.lumen");
    Level lumenLevel = lumen.getLevel();
    logs.start();
    root.addAppender(logs);
    lumen.setLevel(Level.DEBUG);
    var registry = new LumenPrometheusRegistry();
    try (var rig = new Rig(60, 31);
        var slack = HttpSink.start();
        var alertmanager = HttpSink.start();
        var operator = rig.operator(registry)) {
      slack.respondWith(503);
      var ref = rig.service(NAME);
      String slackPath = "/services/T0/B0/" + SLACK_TOKEN;
      String criticalUrl = "http://127.0.0.1:1/services/T0/B1/" + CRITICAL_TOKEN;
      String redisUrl = "redis://:" + REDIS_PASSWORD + "@127.0.0.1:1/0";
      rig.secret(
          NAME,
          "channels",
          Map.of(
              "slack", slack.url(slackPath).toString(),
              "critical", criticalUrl,
              "redis", redisUrl,
              "unused", UNUSED));
      rig.apply(
          NAME,
          Rig.policy(
              NAME,
              ref,
              "Enforce",
              """
                rollout:
                  steps: [{weight: 20, pause: 2m}, {weight: 100}]
                  rollback: {gracePeriod: 1m}
                tuning:
                  cacheTtl:
                    redis: {urlSecretRef: {name: channels, key: redis}}
                notifications:
                  slack:
                    webhookSecretRef: {name: channels, key: slack}
                    criticalWebhookSecretRef: {name: channels, key: critical}
                  alertmanager: {url: '%s'}
              """
                  .formatted(alertmanager.url(""))));
      rig.awaitReady(NAME);
      rig.google
          .world()
          .deploy(ref, NAME + "-00002", new Behaviour(0.2, 80, 0.02), rig.clock.instant());
      rig.awaitStatus(NAME, s -> s.getRollout() != null && s.getRollout().failedRevision() != null);
      assertThat(Rig.condition(rig.policyStatus(NAME).getConditions(), "Ready").message())
          .as("Redis is down all along, and said to be; it held nothing up")
          .contains("not measured this cycle: Redis: ");
      Await.until(
          () -> slack.requests(slackPath),
          requests -> requests.size() >= 3,
          "Slack messages to the webhook from the Secret");

      String policies =
          rig.client
              .getKubernetesSerialization()
              .asJson(rig.client.resources(LumenPolicy.class).inNamespace(NAME).list());
      String events = rig.client.getKubernetesSerialization().asJson(rig.events(NAME));
      String metrics = registry.scrape();
      String sentToAlertmanager =
          String.join("\n", alertmanager.requests().stream().map(HttpSink.Request::body).toList());
      List<String> logLines =
          logs.list.stream()
              .map(
                  e ->
                      e.getFormattedMessage()
                          + (e.getThrowableProxy() == null
                              ? ""
                              : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy())))
              .toList();

      assertThat(events).as("the rollback left events").contains("RolledBack");
      assertThat(logLines).as("the failing channels were logged").isNotEmpty();
      for (String secret : List.of(SLACK_TOKEN, CRITICAL_TOKEN, REDIS_PASSWORD, UNUSED)) {
        assertThat(policies).as("the policies").doesNotContain(secret);
        assertThat(events).as("events").doesNotContain(secret);
        assertThat(metrics).as("metrics").doesNotContain(secret);
        assertThat(sentToAlertmanager).as("alerts").doesNotContain(secret);
        assertThat(logLines).as("logs").noneMatch(line -> line.contains(secret));
      }
    } finally {
      root.detachAppender(logs);
      lumen.setLevel(lumenLevel);
    }
  }
}
