package dev.lumen.sim.scenario;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One time-series chart as inline SVG: lines, dashed limits, and markers on the time axis whose
 * reason shows on hover. Drawn in Java so the report needs no script and fetches nothing.
 */
final class SvgChart {
  static final String[] PALETTE = {
    "#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#0891b2", "#db2777", "#65a30d"
  };
  private static final int WIDTH = 960;
  private static final int HEIGHT = 210;
  private static final int LEFT = 56;
  private static final int RIGHT = 16;
  private static final int TOP = 28;
  private static final int BOTTOM = 30;

  record Point(Instant time, double value) {}

  private record Line(String name, String color, List<Point> points, boolean step) {}

  private record Limit(String label, double value) {}

  private record Marker(Instant time, String kind, String text, boolean world) {}

  private final String id;
  private final String title;
  private final String unit;
  private final Instant start;
  private final Instant end;
  private final List<Line> lines = new ArrayList<>();
  private final List<Limit> limits = new ArrayList<>();
  private final List<Marker> markers = new ArrayList<>();
  private double floorMax;

  SvgChart(String id, String title, String unit, Instant start, Instant end) {
    this.id = id;
    this.title = title;
    this.unit = unit;
    this.start = start;
    this.end = end;
  }

  /** The y axis reaches at least this high. */
  SvgChart atLeast(double max) {
    floorMax = Math.max(floorMax, max);
    return this;
  }

  SvgChart line(String name, List<Point> points, boolean step) {
    lines.add(new Line(name, PALETTE[lines.size() % PALETTE.length], points, step));
    return this;
  }

  SvgChart limit(String label, double value) {
    limits.add(new Limit(label, value));
    return this;
  }

  SvgChart marker(Instant time, String kind, String text, boolean world) {
    markers.add(new Marker(time, kind, text, world));
    return this;
  }

  boolean isEmpty() {
    return lines.stream().allMatch(l -> l.points().isEmpty());
  }

  /**
   * A limit more than this many times the highest value would squash the data flat at the bottom;
   * the chart then scales to the data and names the limit at its top edge instead.
   */
  static final double LIMIT_REACH = 3;

  String render() {
    double data = floorMax;
    for (Line line : lines) {
      for (Point p : line.points()) {
        data = Math.max(data, p.value());
      }
    }
    double max = data;
    List<Limit> above = new ArrayList<>();
    for (Limit limit : limits) {
      if (data > 0 && limit.value() > data * LIMIT_REACH) {
        above.add(limit);
      } else {
        max = Math.max(max, limit.value() * 1.15);
      }
    }
    max = niceCeiling(max <= 0 ? 1 : max);
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg class=\"chart\" id=\"%s\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">",
            id,
            WIDTH,
            HEIGHT,
            Html.escape(title)));
    svg.append("<text class=\"title\" x=\"")
        .append(LEFT)
        .append("\" y=\"16\">")
        .append(Html.escape(title))
        .append("</text>");
    for (int i = 0; i <= 4; i++) {
      double v = max * i / 4;
      double y = y(v, max);
      svg.append(
          String.format(
              Locale.ROOT,
              "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>"
                  + "<text class=\"axis\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
              LEFT,
              WIDTH - RIGHT,
              y,
              y,
              LEFT - 6,
              y + 4,
              format(v) + (i == 4 ? " " + unit : "")));
    }
    long minutes = Math.max(1, Duration.between(start, end).toMinutes());
    long tick = minutes <= 60 ? 10 : minutes <= 240 ? 30 : minutes <= 1440 ? 120 : 720;
    for (long m = 0; m <= minutes; m += tick) {
      double x = x(start.plusSeconds(m * 60));
      svg.append(
          String.format(
              Locale.ROOT,
              "<text class=\"axis\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
              x,
              HEIGHT - 10,
              ScenarioClock.format(start, start.plusSeconds(m * 60))));
    }
    for (Limit limit : above) {
      svg.append(
          String.format(
              Locale.ROOT,
              "<text class=\"limit-label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
              WIDTH - RIGHT,
              TOP - 2,
              Html.escape(limit.label() + " (above the chart)")));
    }
    for (Limit limit : limits) {
      if (above.contains(limit)) {
        continue;
      }
      double y = y(limit.value(), max);
      svg.append(
          String.format(
              Locale.ROOT,
              "<line class=\"limit\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>"
                  + "<text class=\"limit-label\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
              LEFT,
              WIDTH - RIGHT,
              y,
              y,
              WIDTH - RIGHT,
              y - 4,
              Html.escape(limit.label())));
    }
    for (Marker marker : markers) {
      double x = x(marker.time());
      svg.append("<g class=\"marker")
          .append(marker.world() ? " world" : " decision")
          .append("\" data-kind=\"")
          .append(Html.escape(marker.kind()))
          .append("\"><title>")
          .append(
              Html.escape(
                  ScenarioClock.format(start, marker.time())
                      + " "
                      + marker.kind()
                      + ": "
                      + marker.text()))
          .append("</title>")
          .append(
              String.format(
                  Locale.ROOT,
                  "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\"/>"
                      + "<rect x=\"%.1f\" y=\"%d\" width=\"8\" height=\"%d\"/>",
                  x,
                  x,
                  TOP,
                  HEIGHT - BOTTOM,
                  x - 4,
                  TOP,
                  HEIGHT - BOTTOM - TOP))
          .append("</g>");
    }
    // The legend follows the title on its row, clear of the plot.
    int legendX = LEFT + (int) (title.length() * 7.6) + 20;
    for (Line line : lines) {
      StringBuilder points = new StringBuilder();
      Point previous = null;
      for (Point p : line.points()) {
        if (line.step() && previous != null) {
          // Holds the previous value until the change: traffic moves in steps.
          points.append(
              String.format(Locale.ROOT, "%.1f,%.1f ", x(p.time()), y(previous.value(), max)));
        }
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(p.time()), y(p.value(), max)));
        previous = p;
      }
      svg.append("<polyline class=\"series\" data-series=\"")
          .append(Html.escape(line.name()))
          .append("\" data-values=\"")
          .append(line.points().size())
          .append("\" stroke=\"")
          .append(line.color())
          .append("\" points=\"")
          .append(points.toString().strip())
          .append("\"><title>")
          .append(Html.escape(line.name()))
          .append("</title></polyline>");
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                  + "<text class=\"legend\" x=\"%d\" y=\"%d\">%s</text>",
              legendX,
              7,
              line.color(),
              legendX + 14,
              16,
              Html.escape(line.name())));
      legendX += 24 + 7 * line.name().length();
    }
    return svg.append("</svg>").toString();
  }

  private double x(Instant time) {
    double total = Math.max(1, Duration.between(start, end).toMillis());
    double at = Duration.between(start, time).toMillis();
    return LEFT + (WIDTH - LEFT - RIGHT) * Math.max(0, Math.min(1, at / total));
  }

  private static double y(double value, double max) {
    return HEIGHT - BOTTOM - (HEIGHT - BOTTOM - TOP) * (value / max);
  }

  private static double niceCeiling(double value) {
    double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
    for (double step : new double[] {1, 2, 2.5, 5, 10}) {
      if (step * magnitude >= value) {
        return step * magnitude;
      }
    }
    return 10 * magnitude;
  }

  private static String format(double value) {
    return value == Math.rint(value)
        ? Long.toString(Math.round(value))
        : String.format(Locale.ROOT, "%.2f", value).replaceAll("0+$", "");
  }
}
