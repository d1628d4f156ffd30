package dev.lumen.sim.cli;

import dev.lumen.cli.OperatorOptions;
import dev.lumen.cli.OperatorRun;
import dev.lumen.reconciler.Pacing;
import dev.lumen.sim.SimulatedCluster;
import dev.lumen.tenancy.Tenancy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The real operator on this machine alone: embedded API server, simulated Google services. */
@Command(
    name = "run-local",
    description = {
      "Run the operator against an in-process Kubernetes API server with Lumen's CRDs and"
          + " simulated Cloud Run and Cloud Monitoring endpoints (with a service for each one the"
          + " --apply files name), apply the files and print what the operator made of them.",
      "Nothing outside this machine is touched; try --apply samples/."
    },
    mixinStandardHelpOptions = true)
final class RunLocalCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RunLocalCommand.class);

  @Mixin OperatorOptions options;

  @Option(
      names = "--write-kubeconfig",
      paramLabel = "PATH",
      defaultValue = "${java.io.tmpdir}/lumen-local.kubeconfig",
      description =
          "Where to write a kubeconfig for the embedded API server, so that kubectl and kubectl"
              + " lumen work against it (default ${DEFAULT-VALUE}); removed on exit.")
  Path kubeconfig;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    options.check(spec);
    return OperatorRun.run(
        // One team owns the simulated world: say so rather than ask for bindings.
        options.tenancyUnlessGiven(Tenancy.Mode.single_team),
        Clock.systemUTC(),
        Pacing.REAL_TIME,
        opened -> {
          var cluster = SimulatedCluster.startInRealTime(1);
          opened.add(cluster);
          LOG.info("Embedded Kubernetes API server at {}", cluster.api().url());
          cluster.api().writeKubeconfig(kubeconfig);
          opened.add(() -> Files.deleteIfExists(kubeconfig));
          LOG.info("kubectl works against it: export KUBECONFIG={}", kubeconfig);
          var google = cluster.google();
          google.addServicesNamedIn(options.apply());
          LOG.info(
              "Simulated Cloud Run at {} and Cloud Monitoring at {}",
              google.cloudRunServer().endpoint(),
              google.monitoringServer().endpoint());
          return new OperatorRun.Connections(
              cluster.client(),
              google.cloudRunClient(options.googleDeadline()),
              google.monitoringClient(options.googleDeadline()));
        },
        spec.commandLine().getOut());
  }
}
