package dev.lumen.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A query of the metric source whose value must stay within bounds. */
@ValidationRule(
    value = "has(self.min) || has(self.max)",
    message = "set min, max or both: a custom objective needs a bound")
@ValidationRule(
    value = "!has(self.min) || !has(self.max) || double(self.min) <= double(self.max)",
    message = "min must not be greater than max")
@ValidationRule(
    value =
        "!has(self.__for__) || duration(self.__for__) <= duration('"
            + DurationLimits.MAX_FOR
            + "')",
    message = "for must be at most " + DurationLimits.MAX_FOR,
    fieldPath = ".for")
public record CustomObjective(
    @JsonPropertyDescription(
            "The query, in the language given by language: a Monitoring time-series filter (e.g."
                + " metric.type = \"custom.googleapis.com/queue_depth\") that aligner and reducer"
                + " bring down to one series, or PromQL that describes one series.")
        @Required
        @Size(min = 1, max = 4096)
        String query,
    @JsonPropertyDescription(
            "The language of query. MonitoringFilter: a Cloud Monitoring filter (cloudMonitoring"
                + " source only). PromQL: for a prometheus source its API evaluates it; for a"
                + " cloudMonitoring source Cloud Monitoring's Prometheus-compatible query API"
                + " does, with Lumen's Google identity, over Managed Service for Prometheus"
                + " metrics and Google's own under their PromQL names (run.googleapis.com/"
                + "request_count is run_googleapis_com:request_count). Unset: MonitoringFilter"
                + " for a cloudMonitoring source, PromQL for a prometheus source.")
        QueryLanguage language,
    @JsonPropertyDescription("Lowest acceptable value, as a decimal string (e.g. \"0.1\").")
        @Pattern(ApiPatterns.SIGNED_DECIMAL)
        @Size(max = 32)
        String min,
    @JsonPropertyDescription("Highest acceptable value, as a decimal string (e.g. \"0.9\").")
        @Pattern(ApiPatterns.SIGNED_DECIMAL)
        @Size(max = 32)
        String max,
    @JsonPropertyDescription(
            "How long the value must be out of bounds before the objective counts as not met,"
                + " e.g. 10m.")
        @JsonProperty("for")
        @Default("0s")
        @Pattern(ApiPatterns.DURATION)
        @Size(max = 16)
        String forDuration,
    @JsonPropertyDescription(
            "MonitoringFilter queries: how each series is aligned per alignmentPeriod, a Monitoring"
                + " Aggregation.Aligner such as ALIGN_MEAN, ALIGN_MAX, ALIGN_SUM, ALIGN_RATE.")
        @Default("ALIGN_MEAN")
        @Pattern(ApiPatterns.MONITORING_ALIGNER)
        @Size(max = 32)
        String aligner,
    @JsonPropertyDescription(
            "MonitoringFilter queries: how the aligned series are combined into one, a Monitoring"
                + " Aggregation.Reducer such as REDUCE_SUM, REDUCE_MEAN, REDUCE_MAX, or REDUCE_NONE"
                + " when the filter matches one series.")
        @Default("REDUCE_SUM")
        @Pattern(ApiPatterns.MONITORING_REDUCER)
        @Size(max = 32)
        String reducer,
    @JsonPropertyDescription(
            "MonitoringFilter queries: one value per period, at least 60s (Monitoring's"
                + " smallest).")
        @Default("60s")
        @Pattern(ApiPatterns.DURATION)
        @Size(max = 16)
        String alignmentPeriod) {

  /** How a custom objective's query is written. */
  public enum QueryLanguage {
    MonitoringFilter,
    PromQL
  }

  /** The language of the query as the source reads it, when {@link #language} is unset. */
  public QueryLanguage languageFor(MetricSource source) {
    if (language != null) {
      return language;
    }
    return source != null && source.prometheus() != null
        ? QueryLanguage.PromQL
        : QueryLanguage.MonitoringFilter;
  }
}
