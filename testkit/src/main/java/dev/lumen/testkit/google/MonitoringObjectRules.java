package dev.lumen.testkit.google;

import com.google.monitoring.dashboard.v1.Dashboard;
import com.google.monitoring.dashboard.v1.MosaicLayout;
import com.google.monitoring.dashboard.v1.Widget;
import com.google.monitoring.v3.AlertPolicy;
import com.google.monitoring.v3.RequestBasedSli;
import com.google.monitoring.v3.Service;
import com.google.monitoring.v3.ServiceLevelObjective;
import com.google.monitoring.v3.TimeSeriesRatio;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules Cloud Monitoring's APIs hold Services, ServiceLevelObjectives, AlertPolicies and
 * Dashboards to, as the loopback fakes enforce them: what a real API would refuse with
 * INVALID_ARGUMENT, each problem naming the field.
 */
public final class MonitoringObjectRules {
  static final Pattern SERVICE_NAME = Pattern.compile("^projects/[^/]+/services/[a-z0-9-]{1,128}$");
  static final Pattern SLO_NAME =
      Pattern.compile(
          "^projects/[^/]+/services/[a-z0-9-]{1,128}/serviceLevelObjectives/[a-z0-9-]{1,128}$");
  static final Pattern BURN_RATE =
      Pattern.compile(
          "^select_slo_burn_rate\\(\"(projects/[^\"]+/serviceLevelObjectives/[^\"]+)\","
              + " \"([0-9]+)s\"\\)$");
  static final Pattern CHANNEL =
      Pattern.compile("^projects/[^/]+/notificationChannels/[0-9A-Za-z_-]+$");
  static final Pattern LABEL_KEY = Pattern.compile("^[a-z][a-z0-9_-]{0,62}$");
  static final Pattern LABEL_VALUE = Pattern.compile("^[a-z0-9_-]{0,63}$");
  static final long DAY = 86_400;

  private MonitoringObjectRules() {}

  public static List<String> check(Service service) {
    List<String> problems = new ArrayList<>();
    if (!service.getName().isEmpty() && !SERVICE_NAME.matcher(service.getName()).matches()) {
      problems.add("service.name: not projects/PROJECT/services/ID: " + service.getName());
    }
    if (service.getIdentifierCase() == Service.IdentifierCase.IDENTIFIER_NOT_SET) {
      problems.add("service: no identifier (cloud_run, gke_service, ...) or custom");
    }
    if (service.hasCloudRun()
        && (service.getCloudRun().getServiceName().isEmpty()
            || service.getCloudRun().getLocation().isEmpty())) {
      problems.add("service.cloud_run: service_name and location are required");
    }
    labels("service.user_labels", service.getUserLabelsMap(), problems);
    return problems;
  }

  public static List<String> check(ServiceLevelObjective slo) {
    List<String> problems = new ArrayList<>();
    if (!slo.getName().isEmpty() && !SLO_NAME.matcher(slo.getName()).matches()) {
      problems.add("slo.name: not .../services/ID/serviceLevelObjectives/ID: " + slo.getName());
    }
    if (!(slo.getGoal() > 0 && slo.getGoal() <= 0.9999)) {
      problems.add("slo.goal: must lie in (0, 0.9999], is " + slo.getGoal());
    }
    switch (slo.getPeriodCase()) {
      case ROLLING_PERIOD -> {
        long seconds = slo.getRollingPeriod().getSeconds();
        if (seconds <= 0
            || seconds % DAY != 0
            || seconds > 30 * DAY
            || slo.getRollingPeriod().getNanos() != 0) {
          problems.add("slo.rolling_period: whole days from 1 to 30, is " + seconds + "s");
        }
      }
      case CALENDAR_PERIOD -> {}
      default -> problems.add("slo: set rolling_period or calendar_period");
    }
    var sli = slo.getServiceLevelIndicator();
    if (!sli.hasRequestBased() && !sli.hasWindowsBased() && !sli.hasBasicSli()) {
      problems.add("slo.service_level_indicator: no SLI");
    }
    if (sli.hasRequestBased()) {
      RequestBasedSli request = sli.getRequestBased();
      if (request.hasGoodTotalRatio()) {
        TimeSeriesRatio ratio = request.getGoodTotalRatio();
        int filters =
            (ratio.getGoodServiceFilter().isEmpty() ? 0 : 1)
                + (ratio.getBadServiceFilter().isEmpty() ? 0 : 1)
                + (ratio.getTotalServiceFilter().isEmpty() ? 0 : 1);
        if (filters != 2) {
          problems.add(
              "slo.good_total_ratio: exactly two of good, bad and total filters, has " + filters);
        }
        for (String filter :
            List.of(
                ratio.getGoodServiceFilter(),
                ratio.getBadServiceFilter(),
                ratio.getTotalServiceFilter())) {
          if (!filter.isEmpty() && !filter.contains("metric.type")) {
            problems.add("slo.good_total_ratio: a filter must select a metric.type: " + filter);
          }
        }
      } else if (request.hasDistributionCut()) {
        var cut = request.getDistributionCut();
        if (!cut.getDistributionFilter().contains("metric.type")) {
          problems.add("slo.distribution_cut.distribution_filter: must select a metric.type");
        }
        if (!(cut.getRange().getMax() > cut.getRange().getMin())) {
          problems.add("slo.distribution_cut.range: max must be above min");
        }
      } else {
        problems.add("slo.request_based: set good_total_ratio or distribution_cut");
      }
    }
    labels("slo.user_labels", slo.getUserLabelsMap(), problems);
    return problems;
  }

  public static List<String> check(AlertPolicy policy) {
    List<String> problems = new ArrayList<>();
    if (policy.getDisplayName().isEmpty()) {
      problems.add("alert_policy.display_name: required");
    }
    if (policy.getConditionsCount() < 1 || policy.getConditionsCount() > 6) {
      problems.add("alert_policy.conditions: 1 to 6, has " + policy.getConditionsCount());
    }
    if (policy.getConditionsCount() > 1
        && policy.getCombiner() == AlertPolicy.ConditionCombinerType.COMBINE_UNSPECIFIED) {
      problems.add("alert_policy.combiner: required with more than one condition");
    }
    for (int i = 0; i < policy.getConditionsCount(); i++) {
      var condition = policy.getConditions(i);
      String field = "alert_policy.conditions[" + i + "]";
      if (condition.getDisplayName().isEmpty()) {
        problems.add(field + ".display_name: required");
      }
      if (!condition.hasConditionThreshold()) {
        problems.add(field + ": Lumen's policies use condition_threshold");
        continue;
      }
      var threshold = condition.getConditionThreshold();
      if (threshold.getFilter().startsWith("select_slo_burn_rate")
          && !BURN_RATE.matcher(threshold.getFilter()).matches()) {
        problems.add(
            field
                + ".filter: select_slo_burn_rate(\"SLO name\", \"SECONDSs\"), is "
                + threshold.getFilter());
      }
      if (threshold.getFilter().isEmpty()) {
        problems.add(field + ".filter: required");
      }
      if (threshold.getComparison()
          == com.google.monitoring.v3.ComparisonType.COMPARISON_UNSPECIFIED) {
        problems.add(field + ".comparison: required");
      }
    }
    for (String channel : policy.getNotificationChannelsList()) {
      if (!CHANNEL.matcher(channel).matches()) {
        problems.add("alert_policy.notification_channels: not a channel name: " + channel);
      }
    }
    labels("alert_policy.user_labels", policy.getUserLabelsMap(), problems);
    return problems;
  }

  /** The SLO a burn-rate condition reads, or empty for another condition. */
  public static java.util.Optional<String> burnRateSlo(AlertPolicy.Condition condition) {
    var m = BURN_RATE.matcher(condition.getConditionThreshold().getFilter());
    return m.matches() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
  }

  public static List<String> check(Dashboard dashboard) {
    List<String> problems = new ArrayList<>();
    if (dashboard.getDisplayName().isEmpty()) {
      problems.add("dashboard.display_name: required");
    }
    if (dashboard.getLayoutCase() == Dashboard.LayoutCase.LAYOUT_NOT_SET) {
      problems.add("dashboard: a layout is required");
    }
    if (dashboard.hasMosaicLayout()) {
      MosaicLayout mosaic = dashboard.getMosaicLayout();
      int columns = mosaic.getColumns() == 0 ? 12 : mosaic.getColumns();
      if (columns > 48) {
        problems.add("dashboard.mosaic_layout.columns: at most 48");
      }
      for (int i = 0; i < mosaic.getTilesCount(); i++) {
        var tile = mosaic.getTiles(i);
        String field = "dashboard.mosaic_layout.tiles[" + i + "]";
        if (tile.getWidth() <= 0 || tile.getHeight() <= 0) {
          problems.add(field + ": width and height must be positive");
        }
        if (tile.getXPos() < 0 || tile.getXPos() + tile.getWidth() > columns) {
          problems.add(field + ": lies outside the " + columns + " columns");
        }
        widget(field + ".widget", tile.getWidget(), problems);
      }
    }
    labels("dashboard.labels", dashboard.getLabelsMap(), problems);
    return problems;
  }

  private static void widget(String field, Widget widget, List<String> problems) {
    switch (widget.getContentCase()) {
      case CONTENT_NOT_SET -> problems.add(field + ": no content");
      case XY_CHART -> {
        if (widget.getXyChart().getDataSetsCount() == 0) {
          problems.add(field + ".xy_chart.data_sets: at least one");
        }
        for (var dataSet : widget.getXyChart().getDataSetsList()) {
          if (dataSet.getTimeSeriesQuery().getTimeSeriesFilter().getFilter().isEmpty()) {
            problems.add(field + ".xy_chart.data_sets: a time series filter is required");
          }
        }
      }
      case SCORECARD -> {
        if (widget
            .getScorecard()
            .getTimeSeriesQuery()
            .getTimeSeriesFilter()
            .getFilter()
            .isEmpty()) {
          problems.add(field + ".scorecard.time_series_query: a filter is required");
        }
      }
      case LOGS_PANEL -> {
        for (String resource : widget.getLogsPanel().getResourceNamesList()) {
          if (!resource.startsWith("projects/")) {
            problems.add(field + ".logs_panel.resource_names: projects/PROJECT, is " + resource);
          }
        }
      }
      default -> {}
    }
  }

  private static void labels(String field, Map<String, String> labels, List<String> problems) {
    if (labels.size() > 64) {
      problems.add(field + ": at most 64 labels");
    }
    labels.forEach(
        (key, value) -> {
          if (!LABEL_KEY.matcher(key).matches()) {
            problems.add(field + ": bad key " + key);
          }
          if (!LABEL_VALUE.matcher(value).matches()) {
            problems.add(field + ": bad value " + value + " of " + key);
          }
        });
  }
}
