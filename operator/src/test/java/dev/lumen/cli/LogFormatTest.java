package dev.lumen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogFormatTest {
  @Test
  void aLineIsWhatCloudLoggingReadsWithTheStackTraceInTheMessage() throws Exception {
    var context = (LoggerContext) LoggerFactory.getILoggerFactory();
    var event =
        new LoggingEvent(
            "dev.lumen.Test",
            context.getLogger("dev.lumen.reconciler"),
            Level.WARN,
            "rolled back {}",
            new IllegalStateException("boom"),
            new Object[] {"checkout-00002"});
    event.setTimeStamp(Instant.parse("2026-12-05T12:00:01.250Z").toEpochMilli());
    var encoder = new CloudLoggingEncoder();
    encoder.setContext(context);
    encoder.start();

    String line = new String(encoder.encode(event), StandardCharsets.UTF_8);

    assertThat(line).endsWith("\n").doesNotContain("\n{");
    JsonNode entry = new ObjectMapper().readTree(line);
    assertThat(entry.path("severity").asText()).isEqualTo("WARNING");
    assertThat(entry.path("time").asText()).isEqualTo("2026-12-05T12:00:01.250Z");
    assertThat(entry.path("message").asText())
        .startsWith("rolled back checkout-00002")
        .contains("java.lang.IllegalStateException: boom")
        .contains("at dev.lumen.cli.LogFormatTest");
    assertThat(entry.path("logger").asText()).isEqualTo("dev.lumen.reconciler");
    assertThat(entry.has(CloudLoggingEncoder.LABELS)).as("no resource, no labels").isFalse();
  }

  @Test
  void aReconcilesLinesCarryTheResourceAsCloudLoggingLabels() throws Exception {
    var context = (LoggerContext) LoggerFactory.getILoggerFactory();
    var policy = new dev.lumen.api.v1alpha1.LumenPolicy();
    policy.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName("checkout")
            .withNamespace("shop")
            .build());
    var encoder = new CloudLoggingEncoder();
    encoder.setContext(context);
    encoder.start();
    String line;
    try (var labels = dev.lumen.reconciler.LogLabels.of(policy)) {
      var event =
          new LoggingEvent(
              "dev.lumen.Test",
              context.getLogger("dev.lumen.reconciler"),
              Level.INFO,
              "Promoted",
              null,
              null);
      line = new String(encoder.encode(event), StandardCharsets.UTF_8);
    }

    JsonNode labels = new ObjectMapper().readTree(line).path(CloudLoggingEncoder.LABELS);
    assertThat(labels.path("kind").asText()).isEqualTo("LumenPolicy");
    assertThat(labels.path("namespace").asText()).isEqualTo("shop");
    assertThat(labels.path("name").asText()).isEqualTo("checkout");
    assertThat(org.slf4j.MDC.get("name")).as("cleared after the reconcile").isNull();
  }

  @Test
  void javaUtilLoggingOfTheLibrariesGoesThroughTheSameLogger() {
    LogFormat.plain.install();
    var context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger logger = context.getLogger("io.grpc.lumen.test");
    var appender = new ListAppender<ILoggingEvent>();
    appender.setContext(context);
    appender.start();
    logger.addAppender(appender);
    try {
      java.util.logging.Logger.getLogger("io.grpc.lumen.test").warning("channel lost");

      assertThat(appender.list)
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.getFormattedMessage()).isEqualTo("channel lost");
                assertThat(e.getLevel()).isEqualTo(Level.WARN);
              });
    } finally {
      logger.detachAppender(appender);
    }
  }
}
