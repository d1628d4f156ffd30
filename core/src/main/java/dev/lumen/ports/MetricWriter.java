package dev.lumen.ports;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Writes Lumen's own figures to Cloud Monitoring as custom metrics. One call writes one point for
 * each of at most {@link #MAX_SERIES} series of one project, as CreateTimeSeries takes them; a
 * failure is a {@link PortException}.
 */
public interface MetricWriter extends AutoCloseable {
  /** CreateTimeSeries takes at most this many series per call. */
  int MAX_SERIES = 200;

  /** A metric type and the labels that tell its series apart. */
  record Series(String metricType, Map<String, String> labels) {}

  /** A series' value at a time. */
  record Point(Series series, Instant time, double value) {}

  /**
   * @param points one per series, at most {@link #MAX_SERIES}
   */
  void write(String project, List<Point> points);

  @Override
  void close();
}
