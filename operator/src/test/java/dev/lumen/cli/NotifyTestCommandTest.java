package dev.lumen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.testkit.CommandRun;
import dev.lumen.testkit.HttpSink;
import dev.lumen.testkit.kube.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** lumen notify-test against the embedded API server and real HTTP receivers on loopback. */
class NotifyTestCommandTest {
  EmbeddedApiServer api;
  KubernetesClient client;
  HttpSink sink;

  @BeforeEach
  void start() {
    api = EmbeddedApiServer.start();
    client = api.newClient();
    sink = HttpSink.start();
    sink.respondWith(200);
  }

  @AfterEach
  void stop() {
    sink.close();
    client.close();
    api.close();
  }

  CommandRun notifyTest(String... args) {
    var command =
        new NotifyTestCommand(
            kubeconfig -> api.newClient(),
            Clock.fixed(Instant.parse("2026-12-05T10:00:00Z"), ZoneOffset.UTC));
    return CommandRun.of(LumenCommand.withExitCodes(new CommandLine(command), e -> false), args);
  }

  void secret(Map<String, String> values) {
    client
        .secrets()
        .inNamespace("shop")
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("slack")
                .endMetadata()
                .withStringData(values)
                .build())
        .create();
  }

  void apply(String yaml) {
    client
        .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
        .inNamespace("shop")
        .create();
  }

  static final String SLO_TARGET =
      """
      apiVersion: lumen.dev/v1alpha1
      kind: SLOTarget
      metadata: {name: checkout}
      spec:
        service: {cloudRun: {project: shop-prod, region: europe-west1, name: checkout}}
        objectives: [{name: availability, availability: {target: "99.5"}}]
        notifications:
          slack:
            webhookSecretRef: {name: slack, key: main}
            warningWebhookSecretRef: {name: slack, key: warnings}
            criticalWebhookSecretRef: {name: slack, key: critical}
          alertmanager: {url: "%s"}
      """;

  @Test
  void everyChannelGetsATestMessageSayingWhatItReceives() {
    secret(
        Map.of(
            "main", sink.url("/main").toString(),
            "warnings", sink.url("/warnings").toString(),
            "critical", sink.url("/critical").toString()));
    apply(SLO_TARGET.formatted(sink.url("/am")));

    CommandRun run = notifyTest("-n", "shop", "slotarget/checkout");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().lines())
        .hasSize(4)
        .anySatisfy(
            l -> assertThat(l).startsWith("info").contains("webhookSecretRef").endsWith("sent"))
        .anySatisfy(l -> assertThat(l).startsWith("warning").contains("warningWebhookSecretRef"))
        .anySatisfy(l -> assertThat(l).startsWith("critical").contains("criticalWebhookSecretRef"))
        .anySatisfy(l -> assertThat(l).contains("alertmanager").endsWith("sent"));
    assertThat(sink.requests("/critical"))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.json().get("text").asText())
                    .startsWith(
                        "[CRITICAL] NotifyTest · shop/SLOTarget/checkout · service checkout")
                    .contains("this channel receives critical messages of SLOTarget checkout"));
    assertThat(sink.requests("/warnings")).hasSize(1);
    assertThat(sink.requests("/main")).hasSize(1);
    assertThat(sink.requests("/am/api/v2/alerts"))
        .singleElement()
        .satisfies(
            r -> {
              var alert = r.json().get(0);
              assertThat(alert.get("labels").get("alertname").asText())
                  .isEqualTo("LumenNotifyTest");
              assertThat(alert.get("endsAt").asText()).isEqualTo("2026-12-05T10:05:00Z");
            });
  }

  @Test
  void aChannelThatDoesNotAcceptFailsTheRunAndSaysWhy() throws Exception {
    int closed;
    try (var socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    secret(
        Map.of(
            "main", sink.url("/main").toString(),
            "warnings", "http://127.0.0.1:" + closed + "/hook",
            "critical", sink.url("/critical").toString()));
    apply(SLO_TARGET.formatted(sink.url("/am")));

    CommandRun run = notifyTest("-n", "shop", "slo/checkout");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out().lines())
        .anySatisfy(l -> assertThat(l).contains("warningWebhookSecretRef").contains("FAILED"));
    assertThat(run.out()).doesNotContain(String.valueOf(closed)).as("webhook URLs are secrets");
  }

  @Test
  void isACommandOfTheOperatorJar() {
    assertThat(LumenCommand.commandLine().getSubcommands()).containsKey("notify-test");
  }

  @Test
  void aMissingResourceOrOneWithoutNotificationsIsBadInput() {
    assertThat(notifyTest("-n", "shop", "lp/nowhere").exitCode()).isEqualTo(2);
    apply(
        """
        apiVersion: lumen.dev/v1alpha1
        kind: LumenPolicy
        metadata: {name: quiet}
        spec:
          service: {cloudRun: {project: shop-prod, region: europe-west1, name: quiet}}
        """);
    CommandRun quiet = notifyTest("-n", "shop", "lumenpolicy/quiet");
    assertThat(quiet.exitCode()).isEqualTo(2);
    assertThat(quiet.err()).contains("has no spec.notifications");
  }
}
