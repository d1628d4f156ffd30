package dev.lumen.rules;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/** One rule of a Prometheus rule group: a recording rule or an alert. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"record", "alert", "expr", "for", "labels", "annotations"})
public record Rule(
    String record,
    String alert,
    String expr,
    @JsonProperty("for") String forDuration,
    Map<String, String> labels,
    Map<String, String> annotations) {

  static Rule recording(String record, String expr, Map<String, String> labels) {
    return new Rule(record, null, expr, null, labels, Map.of());
  }

  static Rule alert(
      String alert,
      String expr,
      String forDuration,
      Map<String, String> labels,
      Map<String, String> annotations) {
    return new Rule(null, alert, expr, forDuration, labels, annotations);
  }
}
