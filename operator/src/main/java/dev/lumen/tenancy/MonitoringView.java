package dev.lumen.tenancy;

import dev.lumen.ports.ForwardingMetricSource;
import dev.lumen.ports.MetricSource;

/**
 * A distinct view of Cloud Monitoring over the same client; closing it leaves the client to its
 * owner.
 */
final class MonitoringView extends ForwardingMetricSource {
  MonitoringView(MetricSource client) {
    super(client);
  }
}
