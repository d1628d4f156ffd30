package dev.lumen.benchmarks;

import dev.lumen.sim.scenario.Backtest;
import dev.lumen.sim.scenario.Recording;
import dev.lumen.sim.scenario.ScenarioFile;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A whole day at one-minute resolution in virtual time: the shipped day-in-production scenario (a
 * rollout, a rollback, both tuning loops, an SLOTarget; 1,440 minutes and about 1,600 policy and
 * SLO evaluations). Target: under a second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 10)
@Fork(1)
public class BacktestBenchmark {
  ScenarioFile.Loaded scenario;

  @Setup
  public void load() {
    scenario = ScenarioFile.builtIn("day-in-production");
  }

  @Benchmark
  public Recording aDayInVirtualTime() {
    return Backtest.run(scenario);
  }
}
