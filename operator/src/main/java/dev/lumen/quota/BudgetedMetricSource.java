package dev.lumen.quota;

import dev.lumen.ports.MetricSource;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/** Metric reads within the project's budget. */
public final class BudgetedMetricSource implements MetricSource {
  private final MetricSource delegate;
  private final CallBudget budget;

  public BudgetedMetricSource(MetricSource delegate, CallBudget budget) {
    this.delegate = delegate;
    this.budget = budget;
  }

  @Override
  public Map<RevisionKey, RevisionMetrics> read(MetricRequest request) {
    budget.spend(request.project());
    return delegate.read(request);
  }

  @Override
  public Map<String, Double> memorystoreHitRatios(
      String project, Set<String> instanceIds, Instant start, Instant end) {
    budget.spend(project);
    return delegate.memorystoreHitRatios(project, instanceIds, start, end);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
