package dev.lumen.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON object per line in the shape Cloud Logging's agents read from a container's output
 * (structured logging): {@code severity} (DEBUG, INFO, WARNING, ERROR), {@code message} (with the
 * stack trace of an exception after it, where Error Reporting finds it), {@code time} in RFC 3339
 * and, on a reconcile's lines, {@code logging.googleapis.com/labels} naming the resource (kind,
 * namespace, name); the logger and thread land in the entry's payload.
 */
public final class CloudLoggingEncoder extends EncoderBase<ILoggingEvent> {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where Cloud Logging takes an entry's labels from: the resource a reconcile works on. */
  static final String LABELS = "logging.googleapis.com/labels";

  @Override
  public byte[] headerBytes() {
    return new byte[0];
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("severity", severity(event.getLevel()));
    String message = event.getFormattedMessage();
    if (event.getThrowableProxy() != null) {
      message =
          message
              + CoreConstants.LINE_SEPARATOR
              + ThrowableProxyUtil.asString(event.getThrowableProxy());
    }
    entry.put("message", message);
    entry.put("time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
    entry.put("logger", event.getLoggerName());
    entry.put("thread", event.getThreadName());
    if (!event.getMDCPropertyMap().isEmpty()) {
      entry.put(LABELS, new java.util.TreeMap<>(event.getMDCPropertyMap()));
    }
    try {
      return (JSON.writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      // A map of strings always serializes; this keeps the line rather than lose it.
      return ("{\"severity\":\"ERROR\",\"message\":\"unprintable log line\"}\n")
          .getBytes(StandardCharsets.UTF_8);
    }
  }

  @Override
  public byte[] footerBytes() {
    return new byte[0];
  }

  /** Cloud Logging's LogSeverity names; TRACE is DEBUG there. */
  static String severity(Level level) {
    return switch (level.toInt()) {
      case Level.ERROR_INT -> "ERROR";
      case Level.WARN_INT -> "WARNING";
      case Level.INFO_INT -> "INFO";
      default -> "DEBUG";
    };
  }
}
