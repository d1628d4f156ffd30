package dev.lumen.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.ports.MonitoringObjectStore.Kind;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every MonitoringObjectStore must do; run against the in-memory fake and the real Cloud
 * Monitoring clients over the loopback fake of the three APIs.
 */
public abstract class MonitoringObjectStoreContract {
  protected static final String PROJECT = "projects/shop-prod";
  protected static final String SERVICE =
      "{\"displayName\":\"checkout\",\"cloudRun\":{\"serviceName\":\"checkout\","
          + "\"location\":\"europe-west1\"},\"userLabels\":{\"managed-by\":\"lumen\"}}";
  protected static final String SLO =
      "{\"displayName\":\"availability\",\"goal\":0.995,\"rollingPeriod\":\"2419200s\","
          + "\"serviceLevelIndicator\":{\"requestBased\":{\"goodTotalRatio\":{"
          + "\"badServiceFilter\":\"metric.type = \\\"run.googleapis.com/request_count\\\" AND"
          + " metric.labels.response_code_class = \\\"5xx\\\"\","
          + "\"totalServiceFilter\":\"metric.type = \\\"run.googleapis.com/request_count\\\"\"}}},"
          + "\"userLabels\":{\"managed-by\":\"lumen\"}}";
  protected static final String POLICY =
      "{\"displayName\":\"checkout burns\",\"combiner\":\"AND\",\"conditions\":["
          + "{\"displayName\":\"1h\",\"conditionThreshold\":{\"filter\":\"select_slo_burn_rate(\\\""
          + PROJECT
          + "/services/checkout/serviceLevelObjectives/availability\\\", \\\"3600s\\\")\","
          + "\"comparison\":\"COMPARISON_GT\",\"thresholdValue\":14.4,\"duration\":\"0s\"}},"
          + "{\"displayName\":\"5m\",\"conditionThreshold\":{\"filter\":\"select_slo_burn_rate(\\\""
          + PROJECT
          + "/services/checkout/serviceLevelObjectives/availability\\\", \\\"300s\\\")\","
          + "\"comparison\":\"COMPARISON_GT\",\"thresholdValue\":14.4,\"duration\":\"0s\"}}],"
          + "\"userLabels\":{\"managed-by\":\"lumen\",\"lumen-burn\":\"page-1h\"}}";
  protected static final String DASHBOARD =
      "{\"displayName\":\"checkout\",\"mosaicLayout\":{\"columns\":12,\"tiles\":[{\"width\":6,"
          + "\"height\":4,\"widget\":{\"title\":\"Request rate\",\"xyChart\":{\"dataSets\":[{"
          + "\"timeSeriesQuery\":{\"timeSeriesFilter\":{\"filter\":\"metric.type ="
          + " \\\"run.googleapis.com/request_count\\\"\"}}}]}}}]},"
          + "\"labels\":{\"managed-by\":\"lumen\"}}";

  private static final ObjectMapper JSON = new ObjectMapper();

  protected abstract MonitoringObjectStore port();

  /** The store refuses every call for this project from now on. */
  protected abstract void deny(String project);

  @Test
  void aServiceAndItsObjectivesAreNamedByTheCallerAndListedWithTheirLabels() {
    var service = port().create(Kind.SERVICE, PROJECT, Optional.of("checkout"), SERVICE);
    var slo =
        port()
            .create(Kind.SERVICE_LEVEL_OBJECTIVE, service.name(), Optional.of("availability"), SLO);

    assertThat(service.name()).isEqualTo(PROJECT + "/services/checkout");
    assertThat(slo.name())
        .isEqualTo(PROJECT + "/services/checkout/serviceLevelObjectives/availability");
    assertThat(port().list(Kind.SERVICE, PROJECT))
        .singleElement()
        .satisfies(s -> assertThat(s.labels()).containsEntry("managed-by", "lumen"));
    assertThat(port().list(Kind.SERVICE_LEVEL_OBJECTIVE, service.name()))
        .extracting(MonitoringObjectStore.StoredObject::name)
        .containsExactly(slo.name());
  }

  @Test
  void anAlertPolicyIsNamedByTheApiAndReplacedByItsName() throws Exception {
    port().create(Kind.SERVICE, PROJECT, Optional.of("checkout"), SERVICE);
    port()
        .create(
            Kind.SERVICE_LEVEL_OBJECTIVE,
            PROJECT + "/services/checkout",
            Optional.of("availability"),
            SLO);
    var created = port().create(Kind.ALERT_POLICY, PROJECT, Optional.empty(), POLICY);
    assertThat(created.name()).startsWith(PROJECT + "/alertPolicies/");

    var edited = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(POLICY);
    edited.put("name", created.name());
    edited.put("displayName", "checkout burns fast");
    port().replace(Kind.ALERT_POLICY, edited.toString());

    assertThat(port().list(Kind.ALERT_POLICY, PROJECT))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.name()).isEqualTo(created.name());
              assertThat(JSON.readTree(p.json()).path("displayName").asText())
                  .isEqualTo("checkout burns fast");
            });
  }

  @Test
  void aDashboardIsReplacedOnlyWithTheEtagItWasReadWith() throws Exception {
    var created = port().create(Kind.DASHBOARD, PROJECT, Optional.empty(), DASHBOARD);
    var read = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(created.json());
    assertThat(read.path("etag").asText()).isNotEmpty();

    read.put("displayName", "checkout, edited");
    port().replace(Kind.DASHBOARD, read.toString());

    read.put("displayName", "checkout, edited again from a stale read");
    assertThatThrownBy(() -> port().replace(Kind.DASHBOARD, read.toString()))
        .isInstanceOf(PortException.class);
  }

  @Test
  void deletingAServiceDeletesItsObjectives() {
    var service = port().create(Kind.SERVICE, PROJECT, Optional.of("checkout"), SERVICE);
    port().create(Kind.SERVICE_LEVEL_OBJECTIVE, service.name(), Optional.of("availability"), SLO);

    port().delete(Kind.SERVICE, service.name());

    assertThat(port().list(Kind.SERVICE, PROJECT)).isEmpty();
    port().create(Kind.SERVICE, PROJECT, Optional.of("checkout"), SERVICE);
    assertThat(port().list(Kind.SERVICE_LEVEL_OBJECTIVE, service.name())).isEmpty();
  }

  @Test
  void anObjectiveOfAMissingServiceIsAPermanentFailure() {
    assertThatThrownBy(
            () ->
                port()
                    .create(
                        Kind.SERVICE_LEVEL_OBJECTIVE,
                        PROJECT + "/services/nowhere",
                        Optional.of("availability"),
                        SLO))
        .isInstanceOfSatisfying(PortException.class, e -> assertThat(e.isTransient()).isFalse());
  }

  @Test
  void aProjectTheIdentityMayNotChangeIsAPermanentFailureThatSaysSo() {
    deny("shop-prod");

    assertThatThrownBy(() -> port().create(Kind.SERVICE, PROJECT, Optional.of("checkout"), SERVICE))
        .isInstanceOfSatisfying(PortException.class, e -> assertThat(e.isTransient()).isFalse())
        .hasMessageContaining("PERMISSION_DENIED");
  }
}
