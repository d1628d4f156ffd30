package dev.lumen.monitoring;

import com.google.monitoring.dashboard.v1.Aggregation;
import com.google.monitoring.dashboard.v1.Dashboard;
import com.google.monitoring.dashboard.v1.LogsPanel;
import com.google.monitoring.dashboard.v1.MosaicLayout;
import com.google.monitoring.dashboard.v1.Scorecard;
import com.google.monitoring.dashboard.v1.Threshold;
import com.google.monitoring.dashboard.v1.TimeSeriesFilter;
import com.google.monitoring.dashboard.v1.TimeSeriesQuery;
import com.google.monitoring.dashboard.v1.Widget;
import com.google.monitoring.dashboard.v1.XyChart;
import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.api.v1alpha1.GatesSpec;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.MaturityGate;
import dev.lumen.api.v1alpha1.Objective;
import dev.lumen.api.v1alpha1.RoiGate;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.engine.Decimals;
import java.util.List;
import java.util.Optional;

/**
 * The service's dashboard, in six rows on a 12-column mosaic: scorecards of maturity, ROI and SLO
 * compliance; availability against 5xx and latency percentiles; cache hit rate and request rate;
 * cost against ROI; deployments, instances, memory and CPU; error logs. Lumen's own figures come
 * from its custom metrics ({@link LumenMetricTypes}), Cloud Run's from Cloud Run's metrics.
 */
final class LumenDashboard {
  static final int COLUMNS = 12;
  static final double DEFAULT_ROI_PASS = 500;
  static final double DEFAULT_ROI_WARN = 300;
  static final int ROW_HEIGHT = 4;

  private final SLOTarget target;
  private final Optional<GatesSpec> gates;
  private final CloudRunServiceReference run;
  private final MosaicLayout.Builder layout = MosaicLayout.newBuilder().setColumns(COLUMNS);
  private int row;

  private LumenDashboard(SLOTarget target, Optional<LumenPolicy> policy) {
    this.target = target;
    this.gates = policy.map(p -> p.getSpec().gates());
    this.run = target.getSpec().service().cloudRun();
  }

  /**
   * @param policy the LumenPolicy of the same service, whose gates draw their limits: the maturity
   *     gate's minimum, the ROI gate's pass and warn levels (else 500 and 300), the budget
   */
  static Dashboard render(SLOTarget target, Optional<LumenPolicy> policy) {
    return new LumenDashboard(target, policy).build();
  }

  private Dashboard build() {
    var roi = gates.map(GatesSpec::roi);
    double roiPass = roi.map(RoiGate::pass).map(Decimals::parse).orElse(DEFAULT_ROI_PASS);
    double roiWarn = roi.map(RoiGate::warn).map(Decimals::parse).orElse(DEFAULT_ROI_WARN);
    row(
        scorecard(
            "Maturity score",
            LumenMetricTypes.MATURITY_SCORE,
            gates
                .map(GatesSpec::maturity)
                .map(MaturityGate::minScore)
                .map(min -> List.of(below(Decimals.parse(min), Threshold.Color.RED)))
                .orElse(List.of())),
        scorecard(
            "ROI %",
            LumenMetricTypes.ROI_PERCENT,
            List.of(below(roiPass, Threshold.Color.YELLOW), below(roiWarn, Threshold.Color.RED))),
        scorecard(
            "SLO compliance %",
            LumenMetricTypes.SLO_COMPLIANCE,
            List.of(below(100, Threshold.Color.YELLOW), below(75, Threshold.Color.RED))));
    row(
        chart(
            "Availability vs 5xx",
            List.of(
                dataSet(lumen(LumenMetricTypes.OBJECTIVE_VALUE, availabilityObjective()), "%"),
                dataSet(
                        cloudRun(
                            "run.googleapis.com/request_count",
                            " AND metric.labels.response_code_class = \"5xx\"",
                            Aggregation.Aligner.ALIGN_RATE,
                            Aggregation.Reducer.REDUCE_SUM),
                        "5xx/s")
                    .toBuilder()
                    .setTargetAxis(XyChart.DataSet.TargetAxis.Y2)
                    .build()),
            List.of()),
        chart(
            "Latency p95 / p99 (ms)",
            List.of(
                dataSet(latency(Aggregation.Reducer.REDUCE_PERCENTILE_95), "p95"),
                dataSet(latency(Aggregation.Reducer.REDUCE_PERCENTILE_99), "p99")),
            List.of(line(200, Threshold.Color.YELLOW), line(500, Threshold.Color.RED))));
    row(
        chart(
            "Cache hit rate %",
            List.of(dataSet(lumen(LumenMetricTypes.CACHE_HIT_RATE, null), "hit rate")),
            List.of(
                line(80, Threshold.Color.COLOR_UNSPECIFIED),
                line(70, Threshold.Color.YELLOW),
                line(60, Threshold.Color.RED))),
        chart(
            "Request rate",
            List.of(
                dataSet(
                    cloudRun(
                        "run.googleapis.com/request_count",
                        "",
                        Aggregation.Aligner.ALIGN_RATE,
                        Aggregation.Reducer.REDUCE_SUM),
                    "requests/s")),
            List.of()));
    row(
        chart(
            "Cost (a month, forecast) and ROI %",
            List.of(
                dataSet(lumen(LumenMetricTypes.MONTHLY_COST, null), "cost"),
                dataSet(lumen(LumenMetricTypes.ROI_PERCENT, null), "ROI %").toBuilder()
                    .setTargetAxis(XyChart.DataSet.TargetAxis.Y2)
                    .build()),
            gates
                .map(GatesSpec::budget)
                .map(b -> List.of(line(Decimals.parse(b.monthly()), Threshold.Color.RED)))
                .orElse(List.of())));
    row(
        chart(
            "Deployments (promotions)",
            List.of(
                dataSet(
                    query(
                        "metric.type = \""
                            + LumenMetricTypes.DECISIONS
                            + "\" AND "
                            + lumenLabels()
                            + " AND metric.labels.decision = \"Promoted\"",
                        Aggregation.Aligner.ALIGN_SUM,
                        Aggregation.Reducer.REDUCE_SUM),
                    "promotions")),
            List.of()),
        chart(
            "Active instances",
            List.of(
                dataSet(
                    cloudRun(
                        "run.googleapis.com/container/instance_count",
                        "",
                        Aggregation.Aligner.ALIGN_MEAN,
                        Aggregation.Reducer.REDUCE_SUM),
                    "instances")),
            List.of()),
        chart(
            "Memory and CPU utilization (p99)",
            List.of(
                dataSet(
                    cloudRun(
                        "run.googleapis.com/container/memory/utilizations",
                        "",
                        Aggregation.Aligner.ALIGN_DELTA,
                        Aggregation.Reducer.REDUCE_PERCENTILE_99),
                    "memory"),
                dataSet(
                    cloudRun(
                        "run.googleapis.com/container/cpu/utilizations",
                        "",
                        Aggregation.Aligner.ALIGN_DELTA,
                        Aggregation.Reducer.REDUCE_PERCENTILE_99),
                    "CPU")),
            List.of()));
    row(
        Widget.newBuilder()
            .setTitle("Error logs")
            .setLogsPanel(
                LogsPanel.newBuilder()
                    .setFilter(
                        "resource.type=\"cloud_run_revision\""
                            + " resource.labels.service_name=\""
                            + run.name()
                            + "\" resource.labels.location=\""
                            + run.region()
                            + "\" severity>=ERROR")
                    .addResourceNames("projects/" + run.project()))
            .build());
    return Dashboard.newBuilder()
        .setDisplayName(
            "Lumen "
                + Ownership.namespaceOf(target)
                + "/"
                + target.getMetadata().getName()
                + ": Cloud Run "
                + run.name())
        .setMosaicLayout(layout)
        .putAllLabels(Ownership.labels(target))
        .build();
  }

  /** Widgets side by side, sharing the row's width. */
  private void row(Widget... widgets) {
    int width = COLUMNS / widgets.length;
    for (int i = 0; i < widgets.length; i++) {
      layout.addTiles(
          MosaicLayout.Tile.newBuilder()
              .setXPos(i * width)
              .setYPos(row * ROW_HEIGHT)
              .setWidth(width)
              .setHeight(ROW_HEIGHT)
              .setWidget(widgets[i]));
    }
    row++;
  }

  private Widget scorecard(String title, String metricType, List<Threshold> thresholds) {
    return Widget.newBuilder()
        .setTitle(title)
        .setScorecard(
            Scorecard.newBuilder()
                .setTimeSeriesQuery(lumen(metricType, null))
                .addAllThresholds(thresholds)
                .setSparkChartView(
                    Scorecard.SparkChartView.newBuilder()
                        .setSparkChartType(
                            com.google.monitoring.dashboard.v1.SparkChartType.SPARK_LINE)))
        .build();
  }

  private static Widget chart(String title, List<XyChart.DataSet> dataSets, List<Threshold> lines) {
    return Widget.newBuilder()
        .setTitle(title)
        .setXyChart(XyChart.newBuilder().addAllDataSets(dataSets).addAllThresholds(lines))
        .build();
  }

  private static XyChart.DataSet dataSet(TimeSeriesQuery query, String legend) {
    return XyChart.DataSet.newBuilder()
        .setTimeSeriesQuery(query)
        .setPlotType(XyChart.DataSet.PlotType.LINE)
        .setLegendTemplate(legend)
        .build();
  }

  private static Threshold below(double value, Threshold.Color color) {
    return Threshold.newBuilder()
        .setValue(value)
        .setColor(color)
        .setDirection(Threshold.Direction.BELOW)
        .build();
  }

  private static Threshold line(double value, Threshold.Color color) {
    return Threshold.newBuilder()
        .setValue(value)
        .setColor(color)
        .setDirection(Threshold.Direction.ABOVE)
        .build();
  }

  /** The labels Lumen writes its figures of this SLOTarget's service with. */
  private String lumenLabels() {
    return "metric.labels.namespace = \""
        + Ownership.namespaceOf(target)
        + "\" AND metric.labels.service = \""
        + run.name()
        + "\"";
  }

  private TimeSeriesQuery lumen(String metricType, String objective) {
    return query(
        "metric.type = \""
            + metricType
            + "\" AND "
            + lumenLabels()
            + (objective == null ? "" : " AND metric.labels.objective = \"" + objective + "\""),
        Aggregation.Aligner.ALIGN_MEAN,
        Aggregation.Reducer.REDUCE_MEAN);
  }

  private TimeSeriesQuery cloudRun(
      String metricType, String extra, Aggregation.Aligner aligner, Aggregation.Reducer reducer) {
    return query(
        "metric.type = \""
            + metricType
            + "\" AND resource.type = \"cloud_run_revision\""
            + " AND resource.labels.service_name = \""
            + run.name()
            + "\" AND resource.labels.location = \""
            + run.region()
            + "\""
            + extra,
        aligner,
        reducer);
  }

  private TimeSeriesQuery latency(Aggregation.Reducer percentile) {
    return cloudRun(
        "run.googleapis.com/request_latencies", "", Aggregation.Aligner.ALIGN_DELTA, percentile);
  }

  private static TimeSeriesQuery query(
      String filter, Aggregation.Aligner aligner, Aggregation.Reducer reducer) {
    return TimeSeriesQuery.newBuilder()
        .setTimeSeriesFilter(
            TimeSeriesFilter.newBuilder()
                .setFilter(filter)
                .setAggregation(
                    Aggregation.newBuilder()
                        .setAlignmentPeriod(
                            com.google.protobuf.Duration.newBuilder().setSeconds(60))
                        .setPerSeriesAligner(aligner)
                        .setCrossSeriesReducer(reducer)))
        .build();
  }

  /** The first availability objective's name, whose measured value the chart shows. */
  private String availabilityObjective() {
    return target.getSpec().objectives().stream()
        .filter(o -> o.availability() != null)
        .map(Objective::name)
        .findFirst()
        .orElse("availability");
  }
}
