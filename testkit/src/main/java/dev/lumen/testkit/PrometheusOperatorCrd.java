package dev.lumen.testkit;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The Prometheus Operator's PrometheusRule CRD, for tests of --prometheus-rules. */
public final class PrometheusOperatorCrd {
  private static final String RESOURCE = "/dev/lumen/rules/prometheusrule-crd.yaml";

  private PrometheusOperatorCrd() {}

  public static void install(KubernetesClient client) {
    try (InputStream in = PrometheusOperatorCrd.class.getResourceAsStream(RESOURCE)) {
      var crd = client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
