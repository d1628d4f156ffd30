package dev.lumen.api.v1alpha1;

import java.util.Map;

/** Says in words what the schema's patterns mean, so a message can tell the user the fix. */
public final class FormatHints {
  private static final Map<String, String> BY_PATTERN =
      Map.ofEntries(
          Map.entry(ApiPatterns.DURATION, "a duration such as 200ms, 30s, 10m or 1h30m"),
          Map.entry(
              ApiPatterns.WINDOW,
              "a whole number of hours or days from 1h to 90d, such as 28d or 720h"),
          Map.entry(
              ApiPatterns.PERCENT, "a percentage from 0 to 100 as a quoted decimal, e.g. \"99.5\""),
          Map.entry(
              ApiPatterns.UNIT_INTERVAL, "a score from 0 to 1 as a quoted decimal, e.g. \"0.75\""),
          Map.entry(ApiPatterns.DECIMAL, "a non-negative quoted decimal, e.g. \"9.36\""),
          Map.entry(ApiPatterns.SIGNED_DECIMAL, "a quoted decimal, e.g. \"0.1\" or \"-2\""),
          Map.entry(
              ApiPatterns.DNS_LABEL,
              "lower-case letters, digits and '-', starting and ending with a letter or digit"),
          Map.entry(
              ApiPatterns.SECRET_NAME, "a Secret name: lower-case letters, digits, '-' and '.'"),
          Map.entry(ApiPatterns.SECRET_KEY, "a Secret data key: letters, digits, '-', '_', '.'"),
          Map.entry(
              ApiPatterns.GCP_PROJECT,
              "a Google Cloud project ID: 6 to 30 lower-case letters, digits or '-', starting"
                  + " with a letter"),
          Map.entry(ApiPatterns.GCP_REGION, "a Google Cloud region such as us-central1"),
          Map.entry(
              ApiPatterns.CLOUD_RUN_NAME,
              "a Cloud Run service name: lower-case letters, digits and '-', starting with a"
                  + " letter"),
          Map.entry(
              ApiPatterns.HTTP_URL,
              "an absolute http:// or https:// URL without credentials (no user:password@): a URL"
                  + " in a spec is readable by every viewer of the namespace"),
          Map.entry(ApiPatterns.CURRENCY, "a three-letter ISO 4217 currency code such as USD"));

  private FormatHints() {}

  public static String describe(String pattern) {
    return BY_PATTERN.getOrDefault(pattern, "a value matching " + pattern);
  }
}
