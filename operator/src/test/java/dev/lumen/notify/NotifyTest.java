package dev.lumen.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import dev.lumen.cycle.PolicyCycle;
import dev.lumen.engine.Severity;
import dev.lumen.ports.HttpEndpoint;
import dev.lumen.testkit.Await;
import dev.lumen.testkit.HttpSink;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Slack and Alertmanager notifications sent to real HTTP servers on loopback. */
class NotifyTest {
  static final Duration PAUSE = Duration.ofMillis(20);
  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

  HttpSink sink;
  SimpleMeterRegistry registry;
  Dispatcher dispatcher;
  Announcer announcer;

  @BeforeEach
  void start() {
    sink = HttpSink.start();
    registry = new SimpleMeterRegistry();
    dispatcher = new Dispatcher(3, PAUSE, registry);
    var notifier = new Notifier(Duration.ofSeconds(2));
    announcer =
        new Announcer(
            notifier, dispatcher, new AlertTracker(notifier, dispatcher, Duration.ofMinutes(5)));
  }

  @AfterEach
  void stop() {
    dispatcher.close();
    sink.close();
  }

  @Test
  void eachSeverityGoesToItsOwnWebhookOrElseToTheMainOne() {
    var main = Optional.of(sink.url("/main"));
    var all =
        new SlackChannels(
            main, Optional.of(sink.url("/warnings")), Optional.of(sink.url("/critical")));
    var mainOnly = new SlackChannels(main, Optional.empty(), Optional.empty());

    announcer.slack(all, message(Severity.Info, "Promoted", "checkout-00002 serves 100 %"));
    announcer.slack(all, message(Severity.Critical, "RolledBack", "error rate 20 % > 1 %"));
    announcer.slack(all, message(Severity.Warning, "BlockedByGate", "slo gate fails"));
    announcer.slack(mainOnly, message(Severity.Critical, "RolledBack", "no critical channel"));
    announcer.slack(mainOnly, message(Severity.Warning, "RolloutPaused", "no warning channel"));

    Await.until(() -> sink.requests().size() == 5 ? true : null, Duration.ofSeconds(5), "5 posts");
    assertThat(sink.requests("/main"))
        .extracting(r -> r.json().get("text").asText())
        .containsExactlyInAnyOrder(
            "[info] Promoted · shop/LumenPolicy/checkout · service checkout\n"
                + "checkout-00002 serves 100 %",
            "[CRITICAL] RolledBack · shop/LumenPolicy/checkout · service checkout\n"
                + "no critical channel",
            "[WARNING] RolloutPaused · shop/LumenPolicy/checkout · service checkout\n"
                + "no warning channel");
    assertThat(sink.requests("/warnings"))
        .extracting(r -> r.json().get("text").asText())
        .containsExactly(
            "[WARNING] BlockedByGate · shop/LumenPolicy/checkout · service checkout\n"
                + "slo gate fails");
    assertThat(sink.requests("/critical"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.method()).isEqualTo("POST");
              assertThat(r.contentType()).isEqualTo("application/json");
              assertThat(r.json().get("text").asText())
                  .startsWith("[CRITICAL] RolledBack")
                  .endsWith("error rate 20 % > 1 %");
            });
    // Counted once the sender has read the answer, a moment after the sink has the request.
    Await.until(
        () -> count("slack", "sent") == 5 ? true : null,
        Duration.ofSeconds(5),
        "5 counted as sent");
  }

  @Test
  void aFailingWebhookIsTriedThreeTimesThenDropped() throws Exception {
    sink.respondWith(500);

    announcer.slack(
        new SlackChannels(Optional.of(sink.url("/main")), Optional.empty(), Optional.empty()),
        message(Severity.Critical, "RolledBack", "x"));

    Await.until(
        () -> count("slack", "failed") == 1 ? true : null, Duration.ofSeconds(5), "giving up");
    Thread.sleep(PAUSE.multipliedBy(10).toMillis());
    assertThat(sink.requests("/main")).hasSize(3);
    assertThat(count("slack", "sent")).isZero();
  }

  @Test
  void anUnreachableWebhookIsCountedAsFailedAndDoesNotHoldUpTheCaller() throws Exception {
    int closedPort;
    try (var socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    URI nowhere = URI.create("http://127.0.0.1:" + closedPort + "/hook");

    announcer.slack(
        new SlackChannels(Optional.of(nowhere), Optional.empty(), Optional.empty()),
        message(Severity.Critical, "RolledBack", "x"));
    announcer.slack(
        new SlackChannels(Optional.of(sink.url("/main")), Optional.empty(), Optional.empty()),
        message(Severity.Info, "Promoted", "y"));

    Await.until(
        () -> count("slack", "failed") == 1 ? true : null, Duration.ofSeconds(5), "giving up");
    Await.until(
        () -> count("slack", "sent") == 1 ? true : null, Duration.ofSeconds(5), "the other");
  }

  @Test
  void aDryRunRollbackIsAWarningNeverAPage() {
    var wouldHave = policy(condition(Conditions.DEGRADED, "DryRunRolledBack"));
    var wouldAnnounce = policy(condition(Conditions.ROLLBACK_PENDING, "DryRunRollbackAnnounced"));

    assertThat(Alerts.of(wouldHave))
        .containsOnlyKeys("LumenDryRunRollback")
        .extractingByKey("LumenDryRunRollback")
        .satisfies(a -> assertThat(a.labels()).containsEntry("severity", "warning"));
    assertThat(Alerts.of(wouldAnnounce)).isEmpty();
    assertThat(Alerts.of(policy(condition(Conditions.DEGRADED, "RolledBack"))))
        .containsOnlyKeys("LumenPolicyDegraded");
  }

  @Test
  void alertsFollowTheConditionsFiringResentAndResolved() {
    HttpEndpoint alertmanager = HttpEndpoint.of(sink.url("/"));
    var policy = policy(condition(Conditions.ROLLBACK_PENDING, "RollbackScheduled"));

    announcer.alerts("LumenPolicy/shop/checkout", alertmanager, Alerts.of(policy), T0);
    announcer.alerts(
        "LumenPolicy/shop/checkout", alertmanager, Alerts.of(policy), T0.plusSeconds(60));
    announcer.alerts(
        "LumenPolicy/shop/checkout", alertmanager, Alerts.of(policy), T0.plusSeconds(300));
    var cleared = policy(condition(Conditions.DEGRADED, "RolledBack"));
    announcer.alerts(
        "LumenPolicy/shop/checkout", alertmanager, Alerts.of(cleared), T0.plusSeconds(360));

    var posts =
        Await.until(() -> sink.requests("/api/v2/alerts"), r -> r.size() == 3, "three alert posts");
    var first = posts.get(0).json();
    assertThat(first).hasSize(1);
    assertThat(first.get(0).get("labels").get("alertname").asText())
        .isEqualTo("LumenRollbackPending");
    assertThat(first.get(0).get("labels").get("severity").asText()).isEqualTo("critical");
    assertThat(first.get(0).get("labels").get("service").asText()).isEqualTo("checkout");
    assertThat(first.get(0).get("labels").get("policy").asText()).isEqualTo("checkout");
    assertThat(first.get(0).get("labels").get("namespace").asText()).isEqualTo("shop");
    assertThat(first.get(0).get("annotations").get("description").asText())
        .isEqualTo("RollbackScheduled explained");
    assertThat(first.get(0).get("startsAt").asText()).isEqualTo(T0.toString());
    assertThat(first.get(0).get("endsAt").asText())
        .as("a firing alert ends by itself if Lumen stops re-sending it")
        .isEqualTo(T0.plus(Duration.ofMinutes(15)).toString());

    var resent = posts.get(1).json();
    assertThat(resent.get(0).get("labels").get("alertname").asText())
        .isEqualTo("LumenRollbackPending");
    assertThat(resent.get(0).get("endsAt").asText())
        .isEqualTo(T0.plus(Duration.ofMinutes(20)).toString());

    var last = posts.get(2).json();
    assertThat(last).hasSize(2);
    assertThat(last.findValues("alertname"))
        .extracting(n -> n.asText())
        .containsExactlyInAnyOrder("LumenPolicyDegraded", "LumenRollbackPending");
    for (var alert : last) {
      boolean resolved =
          alert.get("labels").get("alertname").asText().equals("LumenRollbackPending");
      assertThat(alert.get("endsAt").asText())
          .isEqualTo(
              resolved ? T0.plusSeconds(360).toString() : T0.plusSeconds(360 + 900).toString());
    }
  }

  @Test
  void anSloTargetWhoseSpecCannotBeReadHasNoObjectiveAlertsAndDoesNotFailTheCycle() {
    // BadInputIT found this: an SLOTarget without objectives made the alerts throw.
    var target =
        Serialization.unmarshal(
            "apiVersion: lumen.dev/v1alpha1\nkind: SLOTarget\nmetadata: {name: broken, namespace:"
                + " shop}\nspec:\n  service: {cloudRun: {project: p, region: r, name: s}}\n"
                + "status:\n  objectives: [{name: availability, met: false}]\n",
            dev.lumen.api.v1alpha1.SLOTarget.class);

    assertThat(Alerts.of(target)).isEmpty();
    var alerts = new java.util.LinkedHashMap<String, Alert>();
    Alerts.addBudgetBurn(alerts, policy(condition(Conditions.READY, "Accepted")), target);
    assertThat(alerts).isEmpty();
  }

  @Test
  void aRollbackCloudRunRefusesFiresItsOwnCriticalAlert() {
    var alerts = Alerts.of(policy(condition(Conditions.DEGRADED, PolicyCycle.ROLLBACK_FAILED)));

    assertThat(alerts).containsOnlyKeys("LumenRollbackFailed");
    assertThat(alerts.get("LumenRollbackFailed").labels()).containsEntry("severity", "critical");
  }

  @Test
  void aDeletedPolicyResolvesWhatItHadFiring() {
    HttpEndpoint alertmanager = new HttpEndpoint(sink.url("/am/"), Optional.of("Bearer am-t0ken"));
    var policy = policy(condition(Conditions.DEGRADED, "RolledBack"));
    announcer.alerts("LumenPolicy/shop/checkout", alertmanager, Alerts.of(policy), T0);

    announcer.forget(
        "LumenPolicy/shop/checkout", T0.plusSeconds(30), "the LumenPolicy was deleted");

    var posts =
        Await.until(
            () -> sink.requests("/am/api/v2/alerts"), r -> r.size() == 2, "firing, then resolved");
    var resolved = posts.get(1).json().get(0);
    assertThat(resolved.get("endsAt").asText()).isEqualTo(T0.plusSeconds(30).toString());
    assertThat(resolved.get("annotations").get("resolution").asText())
        .isEqualTo("the LumenPolicy was deleted");
    assertThat(posts)
        .as("credentials from the policy's Secret go with every post")
        .extracting(HttpSink.Request::authorization)
        .containsOnly("Bearer am-t0ken");
  }

  static Notification message(Severity severity, String kind, String text) {
    return new Notification("shop", "LumenPolicy/checkout", "checkout", severity, kind, text);
  }

  static Condition condition(String type, String reason) {
    return new Condition(
        type, Condition.Status.True, 1L, T0.toString(), reason, reason + " explained");
  }

  static LumenPolicy policy(Condition condition) {
    LumenPolicy policy =
        Serialization.unmarshal(
            """
            apiVersion: lumen.dev/v1alpha1
            kind: LumenPolicy
            metadata: {name: checkout, namespace: shop}
            spec:
              service: {cloudRun: {project: p, region: europe-west1, name: checkout}}
            """,
            LumenPolicy.class);
    var status = new LumenPolicyStatus();
    status.setConditions(List.of(condition));
    policy.setStatus(status);
    return policy;
  }

  double count(String channel, String result) {
    var counter =
        registry
            .find("lumen.notifications")
            .tag("channel", channel)
            .tag("result", result)
            .counter();
    return counter == null ? 0 : counter.count();
  }
}
