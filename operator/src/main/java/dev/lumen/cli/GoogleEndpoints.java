package dev.lumen.cli;

import dev.lumen.gcp.GoogleClientConfig;
import dev.lumen.gcp.GoogleIdentities;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
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

  @Option(
      names = "--monitoring-http-endpoint",
      paramLabel = "URL",
      description =
          "Cloud Monitoring's HTTP API, where PromQL objectives are evaluated (its"
              + " Prometheus-compatible query API), instead of https://monitoring.googleapis.com"
              + " or https:// the --monitoring-endpoint host; http://HOST:PORT for a loopback"
              + " address only.")
  String monitoringHttp;

  @Option(
      names = "--iam-credentials-endpoint",
      paramLabel = "HOST:PORT",
      description =
          "IAM Service Account Credentials endpoint, through which Lumen impersonates the"
              + " service accounts LumenProjectBindings name, instead of"
              + " iamcredentials.googleapis.com:443; http://HOST:PORT for a loopback address only.")
  String iamCredentials;

  public GoogleClientConfig cloudRun(CommandSpec spec, Duration deadline) {
    return config(spec, "--cloud-run-endpoint", cloudRun, deadline);
  }

  public GoogleClientConfig monitoring(CommandSpec spec, Duration deadline) {
    var config = config(spec, "--monitoring-endpoint", monitoring, deadline);
    if (monitoringHttp == null) {
      return config;
    }
    if (monitoringHttp.startsWith(PLAINTEXT)) {
      plaintextHostAndPort(spec, "--monitoring-http-endpoint", monitoringHttp);
      return config.withHttpEndpoint(URI.create(monitoringHttp));
    }
    if (!monitoringHttp.startsWith("https://")) {
      throw new ParameterException(
          spec.commandLine(),
          "--monitoring-http-endpoint "
              + monitoringHttp
              + ": give a URL, https://HOST[:PORT] (or http:// to a loopback address)");
    }
    return config.withHttpEndpoint(URI.create(monitoringHttp));
  }

  /**
   * How Lumen impersonates the tenants' service accounts: with its Application Default Credentials
   * through Google's IAM endpoint or the override; through a loopback one with a loopback token;
   * not at all when the Google services are loopback fakes and no IAM endpoint is given.
   */
  public GoogleIdentities identities(CommandSpec spec) {
    if (iamCredentials == null) {
      return loopback()
          ? GoogleIdentities.none()
          : GoogleIdentities.applicationDefault(Optional.empty());
    }
    if (!iamCredentials.startsWith(PLAINTEXT)) {
      return GoogleIdentities.applicationDefault(Optional.of("https://" + iamCredentials));
    }
    plaintextHostAndPort(spec, "--iam-credentials-endpoint", iamCredentials);
    return GoogleIdentities.loopback(iamCredentials);
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
    return GoogleClientConfig.loopback(plaintextHostAndPort(spec, option, value))
        .withDeadline(deadline);
  }

  /** HOST:PORT of an http:// value, refused unless HOST is a loopback address. */
  private static String plaintextHostAndPort(CommandSpec spec, String option, String value) {
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
    return hostAndPort;
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
