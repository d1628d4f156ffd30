package dev.lumen.notify;

import dev.lumen.engine.Severity;
import java.net.URI;
import java.util.Optional;

/**
 * A resource's Slack webhooks by severity: critical and warning messages go to their own channel
 * when one is configured, and to the main one otherwise; info always to the main one.
 */
public record SlackChannels(Optional<URI> main, Optional<URI> warning, Optional<URI> critical) {
  public static final SlackChannels NONE =
      new SlackChannels(Optional.empty(), Optional.empty(), Optional.empty());

  /** Where a message of {@code severity} goes, if anywhere. */
  public Optional<URI> route(Severity severity) {
    return switch (severity) {
      case Critical -> critical.or(() -> main);
      case Warning -> warning.or(() -> main);
      case Info -> main;
    };
  }
}
