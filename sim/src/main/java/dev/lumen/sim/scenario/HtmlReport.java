package dev.lumen.sim.scenario;

import static dev.lumen.sim.scenario.Html.escape;

import dev.lumen.api.v1alpha1.GateStatus;
import dev.lumen.sim.scenario.RunReport.Minute;
import dev.lumen.sim.scenario.RunReport.ServiceSeries;
import dev.lumen.sim.scenario.SvgChart.Point;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The run as one self-contained HTML file: per service, traffic per revision, error rate and p95
 * latency per revision against the policy's limits, TTL and min-instances; the SLO burn rates;
 * every decision and happening marked on the time axis with its reason on hover; then the
 * expectations, a statistical summary, the gates and the timeline. Nothing is fetched.
 */
public final class HtmlReport {
  /** Not markers: they happen every minute and would hide the decisions. */
  private static final Set<String> UNMARKED = Set.of("Analysis", "Gate", "SloState");

  private static final Set<String> WORLD = Set.of("Deploy", "Fault", "Recovered");

  private HtmlReport() {}

  public static String render(RunReport report) {
    Instant start = report.startTime();
    Instant end = start.plus(dev.lumen.engine.Durations.parse(report.duration()));
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>Lumen ")
        .append(escape(report.mode()))
        .append(": ")
        .append(escape(report.scenario()))
        .append("</title><style>")
        .append(STYLE)
        .append("</style></head><body>");
    html.append("<header><h1>")
        .append(escape(report.scenario()))
        .append(" <span class=\"verdict ")
        .append(report.met() ? "met\">expectations met" : "unmet\">expectations NOT met")
        .append("</span></h1><p class=\"meta\">")
        .append(escape(report.mode()))
        .append(" · seed ")
        .append(report.seed())
        .append(" · ")
        .append(escape(report.duration()))
        .append(" from ")
        .append(escape(report.start()))
        .append("</p><p>")
        .append(escape(report.description()))
        .append("</p></header>");

    html.append(
        "<section><h2>Expectations</h2><table><tr><th></th><th>Expectation</th><th>Seen</th></tr>");
    for (var r : report.expectations()) {
      html.append("<tr class=\"")
          .append(r.met() ? "met" : "unmet")
          .append("\"><td>")
          .append(r.met() ? "met" : "NOT met")
          .append("</td><td>")
          .append(escape(r.expectation()))
          .append("</td><td>")
          .append(escape(r.seen()))
          .append("</td></tr>");
    }
    html.append("</table></section>");

    for (ServiceSeries service : report.services()) {
      html.append("<section class=\"service\"><h2>Service ")
          .append(escape(service.name()))
          .append("</h2>");
      for (SvgChart chart : charts(report, service, start, end)) {
        if (!chart.isEmpty()) {
          html.append(chart.render());
        }
      }
      html.append("</section>");
    }
    SvgChart burn = burnRates(report, start, end);
    if (!burn.isEmpty()) {
      html.append("<section><h2>SLO burn rates</h2>").append(burn.render()).append("</section>");
    }

    html.append("<section><h2>Summary</h2><table><tr><th>Service</th><th>Requests</th>")
        .append(
            "<th>Errors</th><th>Mean p95</th><th>Max p95</th><th>Uptime</th><th>Anomalies (|z| ≥ ")
        .append(fmt(RunReport.ANOMALY_Z))
        .append(")</th></tr>");
    for (ServiceSeries service : report.services()) {
      var s = service.summary();
      html.append("<tr><td>")
          .append(escape(service.name()))
          .append("</td><td>")
          .append(s.requests())
          .append("</td><td>")
          .append(fmt(s.errorPercent()))
          .append(" %</td><td>")
          .append(fmt(s.meanLatencyP95Millis()))
          .append(" ms</td><td>")
          .append(fmt(s.maxLatencyP95Millis()))
          .append(" ms</td><td>")
          .append(fmt(s.uptimePercent()))
          .append(" %</td><td>");
      if (service.anomalies().isEmpty()) {
        html.append("none");
      }
      for (var a : service.anomalies()) {
        html.append("<div>")
            .append(ScenarioClock.format(start, Instant.parse(a.time())))
            .append(' ')
            .append(escape(a.measure()))
            .append(' ')
            .append(fmt(a.value()))
            .append(" (z ")
            .append(fmt(a.zScore()))
            .append(")</div>");
      }
      html.append("</td></tr>");
    }
    html.append("</table><p class=\"note\">Uptime: share of minutes with requests in which at most")
        .append(" 1 % failed. Anomalies: minutes whose error rate or p95 latency lies ")
        .append(fmt(RunReport.ANOMALY_Z))
        .append(" or more standard deviations from the run's mean.</p></section>");

    html.append("<section><h2>Gates at the end</h2><table><tr><th>Policy</th><th>Gate</th>")
        .append("<th>Result</th><th>Value</th><th>Why</th></tr>");
    for (var policy : report.gates()) {
      if (policy.gates().isEmpty()) {
        html.append("<tr><td>")
            .append(escape(policy.policy()))
            .append("</td><td colspan=\"4\">no gates</td></tr>");
      }
      for (GateStatus gate : policy.gates()) {
        html.append("<tr><td>")
            .append(escape(policy.policy()))
            .append("</td><td>")
            .append(escape(gate.name()))
            .append("</td><td class=\"gate-")
            .append(gate.result())
            .append("\">")
            .append(gate.result())
            .append("</td><td>")
            .append(escape(gate.value()))
            .append("</td><td>")
            .append(escape(gate.message()))
            .append("</td></tr>");
      }
    }
    html.append("</table></section>");

    html.append("<section><h2>Timeline</h2><table class=\"timeline\">");
    for (var e : report.timeline()) {
      html.append("<tr><td>")
          .append(escape(e.at()))
          .append("</td><td>")
          .append(escape(e.subject()))
          .append("</td><td class=\"kind\">")
          .append(escape(e.kind()))
          .append("</td><td>")
          .append(escape(e.text()))
          .append("</td></tr>");
    }
    html.append("</table></section>");
    return html.append("</body></html>\n").toString();
  }

  private static List<SvgChart> charts(
      RunReport report, ServiceSeries service, Instant start, Instant end) {
    String id = service.name();
    Set<String> revisions = new TreeSet<>();
    service.minutes().forEach(m -> revisions.addAll(m.traffic().keySet()));
    var traffic =
        new SvgChart(id + "-traffic", "Traffic per revision", "%", start, end).atLeast(100);
    var errors = new SvgChart(id + "-errors", "Error rate per revision", "%", start, end);
    var latency = new SvgChart(id + "-latency", "p95 latency per revision", "ms", start, end);
    for (String revision : revisions) {
      traffic.line(
          revision, series(service, m -> (double) m.traffic().getOrDefault(revision, 0)), true);
      errors.line(
          revision,
          series(
              service,
              m ->
                  m.revisions().containsKey(revision)
                      ? m.revisions().get(revision).errorPercent()
                      : null),
          false);
      latency.line(
          revision,
          series(
              service,
              m ->
                  m.revisions().containsKey(revision)
                      ? m.revisions().get(revision).latencyP95Millis()
                      : null),
          false);
    }
    if (service.limits() != null) {
      if (service.limits().maxErrorPercent() != null) {
        errors.limit(
            "maxErrorRate " + fmt(service.limits().maxErrorPercent()) + " %",
            service.limits().maxErrorPercent());
      }
      if (service.limits().maxLatencyP95Millis() != null) {
        latency.limit(
            "maxLatencyP95 " + fmt(service.limits().maxLatencyP95Millis()) + " ms",
            service.limits().maxLatencyP95Millis());
      }
    }
    var tuning = new SvgChart(id + "-tuning", "Tuning", "", start, end).atLeast(1);
    boolean tunesCache = service.minutes().stream().anyMatch(m -> m.cacheTtlSeconds() != null);
    if (tunesCache) {
      tuning.line(
          "cache TTL (min)",
          series(service, m -> m.cacheTtlSeconds() == null ? null : m.cacheTtlSeconds() / 60.0),
          true);
      tuning.line(
          "hit rate (%/10)",
          series(service, m -> m.cacheHitPercent() == null ? null : m.cacheHitPercent() / 10),
          false);
    }
    boolean minInstancesMoved =
        service.minutes().stream().map(Minute::minInstances).distinct().count() > 1
            || service.minutes().stream().anyMatch(m -> m.minInstances() > 0);
    if (minInstancesMoved) {
      tuning.line("min-instances", series(service, m -> (double) m.minInstances()), true);
    }
    List<SvgChart> charts = List.of(traffic, errors, latency, tuning);
    Set<String> subjects = subjects(report, service.name());
    for (var e : report.timeline()) {
      if (subjects.contains(e.subject()) && !UNMARKED.contains(e.kind())) {
        for (SvgChart chart : charts) {
          chart.marker(Instant.parse(e.time()), e.kind(), e.text(), WORLD.contains(e.kind()));
        }
      }
    }
    return charts;
  }

  /** What concerns the service: itself, the world, and the policies steering it. */
  private static Set<String> subjects(RunReport report, String service) {
    Set<String> subjects = new TreeSet<>(Set.of(service, "world"));
    report
        .policyServices()
        .forEach(
            (policy, s) -> {
              if (s.equals(service)) {
                subjects.add(policy);
              }
            });
    return subjects;
  }

  private static SvgChart burnRates(RunReport report, Instant start, Instant end) {
    var chart =
        new SvgChart("slo-burn", "Fastest error-budget burn (long window)", "x", start, end)
            .atLeast(1);
    Map<String, List<Point>> lines = new LinkedHashMap<>();
    for (var reading : report.sloReadings()) {
      if (reading.pageBurnRate() != null) {
        lines
            .computeIfAbsent(reading.sloTarget() + " page", k -> new ArrayList<>())
            .add(new Point(reading.time(), reading.pageBurnRate()));
      }
      if (reading.ticketBurnRate() != null) {
        lines
            .computeIfAbsent(reading.sloTarget() + " ticket", k -> new ArrayList<>())
            .add(new Point(reading.time(), reading.ticketBurnRate()));
      }
    }
    lines.forEach((name, points) -> chart.line(name, points, false));
    return chart;
  }

  private static List<Point> series(
      ServiceSeries service, java.util.function.Function<Minute, Double> value) {
    List<Point> points = new ArrayList<>();
    for (Minute m : service.minutes()) {
      Double v = value.apply(m);
      if (v != null) {
        points.add(new Point(Instant.parse(m.time()), v));
      }
    }
    return points;
  }

  private static String fmt(double value) {
    return value == Math.rint(value)
        ? Long.toString(Math.round(value))
        : String.format(Locale.ROOT, "%.2f", value);
  }

  private static final String STYLE =
      """
      body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;
        max-width:1000px;color:#1f2937;padding:0 16px}
      h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
      .meta{color:#6b7280;margin:0}.verdict{font-size:13px;padding:2px 8px;border-radius:10px;
        vertical-align:middle}.verdict.met{background:#dcfce7;color:#166534}
      .verdict.unmet{background:#fee2e2;color:#991b1b}
      table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #e5e7eb;
        padding:4px 6px;text-align:left;vertical-align:top}th{color:#6b7280;font-weight:600}
      tr.met td:first-child{color:#166534}tr.unmet td:first-child{color:#991b1b;font-weight:600}
      .timeline td:first-child,.timeline .kind{white-space:nowrap}.note{color:#6b7280;font-size:12px}
      .gate-Pass{color:#166534}.gate-Warn{color:#92400e}.gate-Fail{color:#991b1b}
      svg.chart{width:100%;height:auto;display:block;margin:6px 0 14px}
      svg .title{font-weight:600;font-size:13px;fill:#374151}svg .axis{font-size:11px;fill:#6b7280}
      svg .legend{font-size:11px;fill:#374151}svg .grid{stroke:#f3f4f6}
      svg .series{fill:none;stroke-width:1.8}
      svg .limit{stroke:#dc2626;stroke-dasharray:6 4}svg .limit-label{font-size:11px;fill:#dc2626}
      svg .marker line{stroke:#f97316;stroke-width:1.2;stroke-dasharray:2 2}
      svg .marker.world line{stroke:#7c3aed}svg .marker rect{fill:transparent}
      svg .marker:hover line{stroke-width:3;stroke-dasharray:none}
      """;
}
