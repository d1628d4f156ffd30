package dev.lumen.benchmarks;

import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.metrics.LumenMetrics;
import dev.lumen.metrics.LumenPrometheusRegistry;
import dev.lumen.runtime.OperatorHttpServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What rendering {@code /metrics} costs the operator, alone on the machine: {@code pairs} policies
 * and SLOTargets with the status a steady evaluation leaves (two objectives with three burn-rate
 * pairs each, the usual conditions, one decision counted per policy), scraped in the Prometheus
 * text format into memory ({@code scrape}) and over the operator's HTTP endpoint, read as it
 * arrives ({@code overHttp}). The scale benchmark times the same scrape beside a busy fleet.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ScrapeBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 15)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class ScrapeBenchmark {
  private static final String POLICY =
      """
      apiVersion: lumen.dev/v1alpha1
      kind: LumenPolicy
      metadata: {name: svc-%1$d, namespace: team-%2$d}
      spec:
        service: {cloudRun: {project: project-%2$d, region: europe-west1, name: svc-%1$d}}
      status:
        stableRevision: svc-%1$d-00001
        canaryWeight: 0
        step: -1
        health: {score: "97.5"}
        conditions:
        - {type: Ready, status: "True", reason: Reconciled}
        - {type: Progressing, status: "False", reason: NoRollout}
        - {type: Degraded, status: "False", reason: Healthy}
        - {type: GatesPassing, status: "True", reason: AllPassed}
        - {type: GuaranteeReachable, status: "False", reason: NoRollout}
        - {type: Paused, status: "False", reason: NotPaused}
      """;

  private static final String SLO_TARGET =
      """
      apiVersion: lumen.dev/v1alpha1
      kind: SLOTarget
      metadata: {name: svc-%1$d, namespace: team-%2$d}
      spec:
        service: {cloudRun: {project: project-%2$d, region: europe-west1, name: svc-%1$d}}
      status:
        state: Met
        compliance: "100"
        objectives:
        - name: availability
          current: "99.95"
          target: "99.9"
          met: true
          errorBudgetRemaining: "62.5"
          burnRates: %3$s
        - name: latency
          current: "231"
          target: "300"
          met: true
          errorBudgetRemaining: "88.1"
          burnRates: %3$s
        conditions:
        - {type: Ready, status: "True", reason: Evaluated}
        - {type: BudgetExhausted, status: "False", reason: BudgetLeft}
        - {type: DataFresh, status: "True", reason: DataArrived}
        - {type: Degraded, status: "False", reason: Healthy}
      """;

  private static final String BURN_RATES =
      "[{longWindow: 1h, shortWindow: 5m, longRate: \"0.41\", shortRate: \"0.38\", severity: Page},"
          + " {longWindow: 6h, shortWindow: 30m, longRate: \"0.52\", shortRate: \"0.47\","
          + " severity: Page}, {longWindow: 3d, shortWindow: 6h, longRate: \"0.61\","
          + " shortRate: \"0.52\", severity: Ticket}]";

  @Param({"1000", "10000"})
  public int pairs;

  private LumenPrometheusRegistry registry;

  @Setup
  public void record() {
    registry = new LumenPrometheusRegistry();
    var metrics = new LumenMetrics(registry);
    for (int i = 0; i < pairs; i++) {
      int team = i % 100;
      var policy = Serialization.unmarshal(POLICY.formatted(i, team), LumenPolicy.class);
      metrics.record(policy);
      metrics.decision(policy, "StableAdopted", true);
      metrics.record(
          Serialization.unmarshal(SLO_TARGET.formatted(i, team, BURN_RATES), SLOTarget.class));
    }
  }

  private OperatorHttpServer server;
  private URL url;

  @Setup
  public void serve() throws IOException {
    server = OperatorHttpServer.start(0, () -> true, registry);
    url = URI.create("http://127.0.0.1:" + server.port() + "/metrics").toURL();
  }

  @TearDown
  public void stop() {
    server.close();
  }

  @Benchmark
  public long overHttp() throws IOException {
    var connection = (HttpURLConnection) url.openConnection();
    long read = 0;
    try (InputStream in = connection.getInputStream()) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        read += n;
      }
    }
    return read;
  }

  @Benchmark
  public int scrape() throws IOException {
    var out = new ByteArrayOutputStream(1 << 20);
    registry.scrape(out, "text/plain; version=0.0.4; charset=utf-8");
    return out.size();
  }
}
