package dev.lumen.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.clock.VirtualClock;
import dev.lumen.ports.Backends;
import dev.lumen.ports.FakeCloudRun;
import dev.lumen.ports.FakeMetrics;
import dev.lumen.ports.ForwardingMetricSource;
import dev.lumen.ports.InMemoryCacheStore;
import dev.lumen.ports.MetricSource;
import dev.lumen.reconciler.Pacing;
import dev.lumen.reconciler.ReadyConditions;
import dev.lumen.tenancy.Tenancy;
import dev.lumen.testkit.kube.EmbeddedApiServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An operator started over SLOTargets it has never evaluated announces them all before the first
 * evaluation, so the whole windows of their project are read once each, not once per SLOTarget.
 */
class AnnounceAtStartTest {
  static final Instant START = Instant.parse("2026-12-06T12:00:00Z");
  static final int SLO_TARGETS = 24;

  @Test
  void aStartReadsEachWholeWindowOfAProjectOnceNotOncePerSloTarget() {
    var metrics = new CountingMetrics(new FakeMetrics());
    try (var api = EmbeddedApiServer.start();
        var client = api.newClient()) {
      for (int i = 0; i < SLO_TARGETS; i++) {
        client
            .resource(
                """
                apiVersion: lumen.dev/v1alpha1
                kind: SLOTarget
                metadata: {name: web-%d, namespace: shop}
                spec:
                  service: {cloudRun: {project: shop-prod, region: europe-west1, name: web-%d}}
                  objectives: [{name: availability, availability: {target: "99.5"}}]
                """
                    .formatted(i, i))
            .create();
      }
      var backends =
          new Backends(
              new FakeCloudRun(),
              metrics,
              url -> new InMemoryCacheStore(),
              Backends.noPrometheus());
      try (var operator =
          LumenOperator.start(
              client,
              OperatorSettings.defaults()
                  .withReconcileThreads(4)
                  .withPacing(new Pacing(60))
                  .withTenancy(Tenancy.Mode.single_team),
              // The clock stands still: every SLOTarget asks for the very same windows.
              new VirtualClock(START),
              new SimpleMeterRegistry(),
              backends)) {
        for (int i = 0; i < SLO_TARGETS; i++) {
          ReadyConditions.await(client, SLOTarget.class, "shop", "web-" + i, Condition.Status.True);
        }
      }
    }
    // One read per window of the availability objective (without the announcement, one per window
    // for about every SLOTarget evaluated after the first read: 104 when measured).
    assertThat(metrics.wholeReads.get()).isLessThanOrEqualTo(8);
    assertThat(metrics.servicesPerRead).allSatisfy(n -> assertThat(n).isEqualTo(SLO_TARGETS));
  }

  /** Counts whole-window reads and the services each asks for. */
  static final class CountingMetrics extends ForwardingMetricSource {
    final AtomicInteger wholeReads = new AtomicInteger();
    final List<Integer> servicesPerRead = new java.util.concurrent.CopyOnWriteArrayList<>();

    CountingMetrics(MetricSource delegate) {
      super(delegate);
    }

    @Override
    public Map<RevisionKey, RevisionMetrics> read(MetricRequest request) {
      wholeReads.incrementAndGet();
      servicesPerRead.add(request.services().size());
      return delegate.read(request);
    }
  }
}
