package dev.lumen.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * How the operator logs: plain lines for people, or one JSON object per line in Cloud Logging's
 * structured shape. Either way the libraries that log through java.util.logging (gRPC, the Google
 * clients) are routed into the same output, so a collector never sees a stray plain line.
 */
public enum LogFormat {
  plain,
  json;

  /** Routes java.util.logging here and switches the root logger to this format. */
  public void install() {
    var context = (LoggerContext) LoggerFactory.getILoggerFactory();
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
      // Keeps java.util.logging's levels in step with logback's, so disabled levels cost nothing.
      var propagator = new LevelChangePropagator();
      propagator.setContext(context);
      propagator.setResetJUL(true);
      propagator.start();
      context.addListener(propagator);
    }
    if (this == plain) {
      return;
    }
    var encoder = new CloudLoggingEncoder();
    encoder.setContext(context);
    encoder.start();
    var appender = new ConsoleAppender<ILoggingEvent>();
    appender.setContext(context);
    appender.setName("json");
    appender.setEncoder(encoder);
    appender.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    root.addAppender(appender);
  }
}
