package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * Cloud Monitoring notification channels the SLOTarget's burn-rate alert policies notify, by name;
 * Lumen creates none of them.
 */
@ValidationRule(
    value =
        "(!has(self.channels) || self.channels.all(c, c.matches('"
            + ApiPatterns.NOTIFICATION_CHANNEL
            + "'))) && (!has(self.criticalChannels) || self.criticalChannels.all(c, c.matches('"
            + ApiPatterns.NOTIFICATION_CHANNEL
            + "'))) && (!has(self.warningChannels) || self.warningChannels.all(c, c.matches('"
            + ApiPatterns.NOTIFICATION_CHANNEL
            + "')))",
    message = "a notification channel is named projects/PROJECT/notificationChannels/ID")
public record CloudMonitoringNotification(
    @JsonPropertyDescription(
            "Channels of every alert policy, unless the policy's severity has channels of its own"
                + " below; e.g. projects/my-project/notificationChannels/123.")
        @Size(max = 16)
        List<String> channels,
    @JsonPropertyDescription(
            "Channels of the critical alert policies instead: page burn rates of Critical"
                + " objectives.")
        @Size(max = 16)
        List<String> criticalChannels,
    @JsonPropertyDescription(
            "Channels of the warning alert policies instead: page burn rates of Warning"
                + " objectives, and every ticket burn rate.")
        @Size(max = 16)
        List<String> warningChannels) {

  /** The channels of a policy of this severity. */
  public List<String> forSeverity(boolean critical) {
    List<String> own = critical ? criticalChannels : warningChannels;
    if (own != null && !own.isEmpty()) {
      return own;
    }
    return channels == null ? List.of() : channels;
  }
}
