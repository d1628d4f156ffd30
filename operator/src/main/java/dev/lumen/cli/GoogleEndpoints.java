package dev.lumen.cli;

import dev.lumen.gcp.GoogleClientConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Where the Google clients connect: Google's endpoints by default, or overrides such as regional or
 * Private Service Connect endpoints (TLS, Application Default Credentials), or a plaintext endpoint
 * on a loopback address (a local emulator, a proxy or a test's fake).
 */
public final class GoogleEndpoints {
  private static final String PLAINTEXT = "http://";

  @Option(
      names = "--cloud-run-endpoint",
      paramLabel = "HOST:PORT",
      description =
          "Cloud Run Admin API endpoint instead of run.googleapis.com:443, e.g. a regional or"
              + " Private Service Connect endpoint (TLS, Application Default Credentials)."
              + " http://HOST:PORT is plaintext without credentials, for a loopback address only.")
  String cloudRun;

  @Option(
      names = "--monitoring-endpoint",
      paramLabel = "HOST:PORT",
      description = "Cloud Monitoring endpoint instead of monitoring.googleapis.com:443, likewise.")
  String monitoring;

  public GoogleClientConfig cloudRun(CommandSpec spec, Duration deadline) {
    return config(spec, "--cloud-run-endpoint", cloudRun, deadline);
  }

  public GoogleClientConfig monitoring(CommandSpec spec, Duration deadline) {
    return config(spec, "--monitoring-endpoint", monitoring, deadline);
  }

  /** Whether both services are reached over plaintext, as the loopback fakes are. */
  public boolean loopback() {
    return cloudRun != null
        && cloudRun.startsWith(PLAINTEXT)
        && monitoring != null
        && monitoring.startsWith(PLAINTEXT);
  }

  private static GoogleClientConfig config(
      CommandSpec spec, String option, String value, Duration deadline) {
    if (value == null) {
      return GoogleClientConfig.production().withDeadline(deadline);
    }
    if (!value.startsWith(PLAINTEXT)) {
      return GoogleClientConfig.production().withEndpoint(value).withDeadline(deadline);
    }
    String hostAndPort = value.substring(PLAINTEXT.length());
    if (!isLoopback(hostOf(hostAndPort))) {
      throw new ParameterException(
          spec.commandLine(),
          option
              + " "
              + value
              + ": plaintext (http://) is allowed to a loopback address only; give HOST:PORT"
              + " for TLS with Application Default Credentials");
    }
    return GoogleClientConfig.loopback(hostAndPort).withDeadline(deadline);
  }

  private static String hostOf(String hostAndPort) {
    int colon = hostAndPort.lastIndexOf(':');
    String host = colon < 0 ? hostAndPort : hostAndPort.substring(0, colon);
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
