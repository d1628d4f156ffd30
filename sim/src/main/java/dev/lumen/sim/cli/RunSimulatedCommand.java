package dev.lumen.sim.cli;

import dev.lumen.cli.GoogleEndpoints;
import dev.lumen.cli.OperatorOptions;
import dev.lumen.cli.OperatorRun;
import dev.lumen.cli.RunCommand;
import dev.lumen.clock.FastClock;
import dev.lumen.reconciler.Pacing;
import dev.lumen.tenancy.Tenancy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The real operator as a process against a given API server and given (simulated) Google endpoints,
 * on a compressed clock: what black-box tests kill, fail over and restart.
 */
@Command(
    name = "run-simulated",
    description = {
      "Run the operator against the cluster of the current kubeconfig (or $KUBECONFIG) and the"
          + " given Google endpoints, on a clock that runs faster than real time. For tests and"
          + " drills that run the operator as a process against a simulated world of their own"
          + " (see docs/simulation.md); the endpoints are usually http://127.0.0.1:PORT fakes.",
    },
    mixinStandardHelpOptions = true)
final class RunSimulatedCommand implements Callable<Integer> {
  @Mixin OperatorOptions options;
  @Mixin GoogleEndpoints endpoints;

  @Option(
      names = "--clock",
      required = true,
      split = ",",
      paramLabel = "ORIGIN,ANCHOR,SPEED",
      description =
          "A clock that showed ORIGIN at the wall-clock instant ANCHOR (both ISO-8601) and runs"
              + " SPEED times faster than real time; every requeue shrinks with it.")
  List<String> clock = new ArrayList<>();

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    options.check(spec);
    if (clock.size() != 3) {
      throw new ParameterException(spec.commandLine(), "--clock takes ORIGIN,ANCHOR,SPEED");
    }
    if (!endpoints.loopback()) {
      throw new ParameterException(
          spec.commandLine(),
          "run-simulated drives simulated services: give --cloud-run-endpoint and"
              + " --monitoring-endpoint as http://127.0.0.1:PORT");
    }
    FastClock fast =
        FastClock.anchored(
            Instant.parse(clock.get(0)),
            Instant.parse(clock.get(1)),
            Double.parseDouble(clock.get(2)));
    return OperatorRun.run(
        // One team owns the simulated world: say so rather than ask for bindings.
        options.tenancyUnlessGiven(Tenancy.Mode.single_team),
        fast,
        new Pacing(fast.speed()),
        RunCommand.clusterAndGoogle(options, endpoints, spec),
        spec.commandLine().getOut());
  }
}
