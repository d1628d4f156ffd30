package dev.lumen.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.AnalysisStatus;
import dev.lumen.api.v1alpha1.Condition;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.DecisionRecord;
import dev.lumen.api.v1alpha1.GateStatus;
import dev.lumen.api.v1alpha1.LumenPolicy;
import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import dev.lumen.api.v1alpha1.ObjectiveStatus;
import dev.lumen.api.v1alpha1.SLOTarget;
import dev.lumen.api.v1alpha1.SLOTargetStatus;
import dev.lumen.metrics.LumenPrometheusRegistry;
import dev.lumen.runtime.LumenOperator;
import dev.lumen.runtime.OperatorHttpServer;
import dev.lumen.testkit.Await;
import dev.lumen.testkit.HttpSink;
import dev.lumen.testkit.world.SimWorld.Behaviour;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole control loop: the real operator on the embedded API server, its real Google adapters
 * over gRPC to the loopback Cloud Run and Monitoring fakes, and a simulated world whose traffic
 * follows the split Lumen sets. The clock runs 60 times faster than real time.
 */
class ControlLoopIT {
  static final double SPEED = 60;
  static Rig rig;
  static LumenOperator operator;
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static PrometheusMeterRegistry registry;
  static OperatorHttpServer http;

  @BeforeAll
  static void start() throws IOException {
    rig = new Rig(SPEED, 42);
    registry = new LumenPrometheusRegistry();
    operator = rig.operator(registry);
    http = OperatorHttpServer.start(0, operator::isReady, registry);
  }

  @AfterAll
  static void stop() {
    for (String kind : List.of("lumenpolicy", "slotarget")) {
      var timer = registry.find("lumen.reconcile.duration").tag("kind", kind).timer();
      if (timer != null) {
        System.out.printf(
            "reconcile %s: %d runs, mean %.1f ms, max %.1f ms%n",
            kind,
            timer.count(),
            timer.mean(TimeUnit.MILLISECONDS),
            timer.max(TimeUnit.MILLISECONDS));
      }
    }
    http.close();
    operator.close();
    rig.close();
  }

  static final String STEPS =
      "  rollout:\n    steps: [{weight: 20, pause: 2m}, {weight: 50, pause: 2m}, {weight: 100}]\n";

  @Test
  void healthyCanaryWalksEveryStepAndIsPromoted() {
    // 100 requests a second: at 0.1 % errors, enough for two-minute steps to show the canary
    // within 0.1 points of stable's error rate.
    var ref = rig.service("healthy", 6000);
    rig.apply("healthy", Rig.policy("healthy", ref, "Enforce", STEPS));
    rig.awaitReady("healthy");

    rig.google.world().deploy(ref, "healthy-00002", Behaviour.HEALTHY, rig.clock.instant());

    LumenPolicyStatus status =
        rig.awaitStatus("healthy", s -> "healthy-00002".equals(s.getStableRevision()));
    assertThat(status.getCanaryRevision()).isNull();
    assertThat(rig.trafficChanges(ref))
        .containsExactly(
            Map.of("healthy-00001", 80, "healthy-00002", 20),
            Map.of("healthy-00001", 50, "healthy-00002", 50),
            Map.of("healthy-00002", 100));
    assertThat(Rig.condition(status.getConditions(), Conditions.PROGRESSING).reason())
        .isEqualTo("Idle");
    assertThat(status.getRecentDecisions())
        .extracting(DecisionRecord::action)
        .contains("SetTraffic", "Promoted", "RolloutStarted");
    assertThat(status.getPending()).isNull();
  }

  @Test
  void failingCanaryIsRolledBackAfterTheGracePeriod() {
    var ref = rig.service("failing");
    rig.apply(
        "failing",
        Rig.policy("failing", ref, "Enforce", STEPS + "    rollback: {gracePeriod: 2m}\n"));
    rig.awaitReady("failing");

    rig.google
        .world()
        .deploy(ref, "failing-00002", new Behaviour(0.2, 80, 0.02), rig.clock.instant());

    LumenPolicyStatus status =
        rig.awaitStatus(
            "failing",
            s -> s.getRollout() != null && "failing-00002".equals(s.getRollout().failedRevision()));
    assertThat(status.getStableRevision()).isEqualTo("failing-00001");
    assertThat(rig.trafficChanges(ref))
        .containsExactly(
            Map.of("failing-00001", 80, "failing-00002", 20), Map.of("failing-00001", 100));
    assertThat(Rig.condition(status.getConditions(), Conditions.DEGRADED).reason())
        .isEqualTo("RolledBack");
    Instant started = Rig.decisionTime(status, "SetTraffic");
    Instant rolledBack = Rig.decisionTime(status, "Rollback");
    System.out.printf(
        "reaction: canary at 20 %% at %s, rolled back at %s: %d s of clock time%n",
        started, rolledBack, Duration.between(started, rolledBack).toSeconds());
  }

  @Test
  void aRollbackIsAnnouncedAndNotHeldUpByASlackOutage() {
    var ref = rig.service("loud");
    try (var slack = HttpSink.start();
        var alertmanager = HttpSink.start()) {
      slack.respondWith(200);
      rig.secret(
          "loud",
          "slack",
          Map.of(
              "main",
              slack.url("/main").toString(),
              "critical",
              slack.url("/critical").toString()));
      rig.apply(
          "loud",
          Rig.policy(
              "loud",
              ref,
              "Enforce",
              STEPS
                  + "    rollback: {gracePeriod: 2m}\n"
                  + "  notifications:\n"
                  + "    slack:\n"
                  + "      webhookSecretRef: {name: slack, key: main}\n"
                  + "      criticalWebhookSecretRef: {name: slack, key: critical}\n"
                  + "    alertmanager: {url: '"
                  + alertmanager.url("")
                  + "'}\n"));
      rig.awaitReady("loud");
      // The critical channel is down for the whole rollout.
      slack.respondWith(503);
      rig.google
          .world()
          .deploy(ref, "loud-00002", new Behaviour(0.2, 80, 0.02), rig.clock.instant());

      rig.awaitStatus(
          "loud", s -> s.getRollout() != null && s.getRollout().failedRevision() != null);
      assertThat(rig.trafficChanges(ref))
          .containsExactly(Map.of("loud-00001", 80, "loud-00002", 20), Map.of("loud-00001", 100));

      var critical =
          Await.until(
              () -> slack.requests("/critical"),
              r -> r.size() == 6,
              "two critical messages, each tried three times");
      assertThat(critical)
          .extracting(r -> r.json().get("text").asText().lines().findFirst().orElseThrow())
          .as("retries of the two interleave")
          .containsExactlyInAnyOrder(
              "[CRITICAL] RollbackAnnounced · loud/LumenPolicy/loud · service loud",
              "[CRITICAL] RollbackAnnounced · loud/LumenPolicy/loud · service loud",
              "[CRITICAL] RollbackAnnounced · loud/LumenPolicy/loud · service loud",
              "[CRITICAL] RolledBack · loud/LumenPolicy/loud · service loud",
              "[CRITICAL] RolledBack · loud/LumenPolicy/loud · service loud",
              "[CRITICAL] RolledBack · loud/LumenPolicy/loud · service loud");
      assertThat(slack.requests("/main"))
          .extracting(r -> r.json().get("text").asText())
          .anySatisfy(t -> assertThat(t).startsWith("[info] TrafficShifted").contains("20 %"));

      var sent =
          Await.until(
              () -> alertmanager.requests("/api/v2/alerts"),
              posts -> posts.stream().anyMatch(p -> resolved(p, "LumenRollbackPending")),
              "the pending-rollback alert resolved");
      var firing =
          sent.stream()
              .flatMap(p -> StreamSupport.stream(p.json().spliterator(), false))
              .filter(a -> a.get("labels").get("alertname").asText().equals("LumenRollbackPending"))
              .findFirst()
              .orElseThrow()
              .get("labels");
      assertThat(firing.get("severity").asText()).isEqualTo("critical");
      assertThat(firing.get("service").asText()).isEqualTo("loud");
      assertThat(firing.get("policy").asText()).isEqualTo("loud");
      assertThat(sent)
          .as("the rolled-back policy is Degraded")
          .anySatisfy(
              p ->
                  assertThat(p.json().findValues("alertname"))
                      .extracting(n -> n.asText())
                      .contains("LumenPolicyDegraded"));
    }
  }

  @Test
  void aPolicyDeletedMidRolloutLeavesTrafficWhereItIsAndResolvesItsAlertsSayingWhy()
      throws Exception {
    var ref = rig.service("orphaned");
    try (var alertmanager = HttpSink.start()) {
      alertmanager.respondWith(200);
      rig.apply(
          "orphaned",
          Rig.policy(
              "orphaned",
              ref,
              "Enforce",
              STEPS
                  + "    rollback: {gracePeriod: 24h}\n"
                  + "  notifications:\n"
                  + "    alertmanager: {url: '"
                  + alertmanager.url("")
                  + "'}\n"));
      rig.awaitReady("orphaned");
      rig.google
          .world()
          .deploy(ref, "orphaned-00002", new Behaviour(0.2, 80, 0.02), rig.clock.instant());
      rig.awaitStatus(
          "orphaned", s -> s.getRollout() != null && s.getRollout().pendingRollback() != null);

      rig.client.resources(LumenPolicy.class).inNamespace("orphaned").withName("orphaned").delete();

      var sent =
          Await.until(
              () -> alertmanager.requests("/api/v2/alerts"),
              posts -> posts.stream().anyMatch(p -> resolved(p, "LumenRollbackPending")),
              "the pending-rollback alert resolved");
      var resolution =
          sent.stream()
              .flatMap(p -> StreamSupport.stream(p.json().spliterator(), false))
              .filter(a -> a.get("annotations").has("resolution"))
              .findFirst()
              .orElseThrow()
              .get("annotations")
              .get("resolution")
              .asText();
      assertThat(resolution)
          .contains(
              "the LumenPolicy was deleted",
              "canary orphaned-00002 keeps 20 %",
              "until someone routes traffic by hand");
      // Five minutes of clock time later, Lumen has not moved traffic for the deleted policy.
      Thread.sleep((long) (Duration.ofMinutes(5).toMillis() / SPEED));
      assertThat(rig.trafficChanges(ref))
          .containsExactly(Map.of("orphaned-00001", 80, "orphaned-00002", 20));
    }
  }

  static boolean resolved(HttpSink.Request post, String alertname) {
    for (var alert : post.json()) {
      if (alert.get("labels").get("alertname").asText().equals(alertname)
          && alert.get("endsAt").asText().equals(alert.get("startsAt").asText())) {
        return true;
      }
    }
    return false;
  }

  @Test
  void anSloTargetBreachIsToldOnceToTheCriticalChannelAndItsRecoveryOnceAsInfo() {
    var ref = rig.service("alerted");
    rig.google.world().behave(ref, "alerted-00001", new Behaviour(0.5, 80, 0.02));
    try (var slack = HttpSink.start()) {
      slack.respondWith(200);
      rig.secret(
          "alerted",
          "slack",
          Map.of(
              "main", slack.url("/main").toString(),
              "warnings", slack.url("/warnings").toString(),
              "critical", slack.url("/critical").toString()));
      rig.apply(
          "alerted",
          """
          apiVersion: lumen.dev/v1alpha1
          kind: SLOTarget
          metadata: {name: alerted}
          spec:
            service: {cloudRun: {project: e2e-project, region: europe-west1, name: alerted}}
            window: 1h
            evaluationInterval: 1m
            objectives:
              - name: availability
                description: Orders are accepted
                severity: Critical
                runbookUrl: https://runbooks.example.com/orders
                availability: {target: "90"}
            notifications:
              slack:
                webhookSecretRef: {name: slack, key: main}
                warningWebhookSecretRef: {name: slack, key: warnings}
                criticalWebhookSecretRef: {name: slack, key: critical}
          """);

      var breach =
          Await.until(
              () -> slack.requests("/critical"),
              r -> !r.isEmpty(),
              Rig.WAIT,
              "the breach on the critical channel");
      String text = breach.get(0).json().get("text").asText();
      assertThat(text)
          .startsWith("[CRITICAL] StateCritical · alerted/SLOTarget/alerted · service alerted\n")
          .contains("availability (Orders are accepted): not met, measured ")
          .contains("against at least 90 %")
          .contains("runbook https://runbooks.example.com/orders");

      // The service is fixed; the bad minutes weigh less as good ones come in.
      rig.google.world().behave(ref, "alerted-00001", Behaviour.HEALTHY);
      var recovery =
          Await.until(
              () -> slack.requests("/main"),
              r -> r.stream().anyMatch(p -> p.json().get("text").asText().contains("StateHealthy")),
              Duration.ofSeconds(90),
              "the recovery on the main channel");
      rig.let(Duration.ofMinutes(3));
      assertThat(slack.requests("/critical"))
          .extracting(r -> r.json().get("text").asText())
          .as("one message per transition, not one per evaluation")
          .filteredOn(t -> t.contains("StateCritical"))
          .hasSize(1);
      assertThat(slack.requests("/main"))
          .extracting(r -> r.json().get("text").asText())
          .filteredOn(t -> t.contains("StateHealthy"))
          .singleElement()
          .satisfies(
              t ->
                  assertThat(t)
                      .startsWith("[info] StateHealthy · alerted/SLOTarget/alerted")
                      .contains("availability (Orders are accepted): met again"));
      assertThat(slack.requests("/warnings")).isEmpty();
      assertThat(recovery).isNotEmpty();
    }
  }

  @Test
  void anSloTargetReportsWhatItMeasuredAndBothKindsShowOnMetrics() throws Exception {
    var ref = rig.service("metered");
    rig.google.world().behave(ref, "metered-00001", new Behaviour(0.1, 80, 0.02));
    rig.apply(
        "metered",
        """
        apiVersion: lumen.dev/v1alpha1
        kind: SLOTarget
        metadata: {name: metered}
        spec:
          service: {cloudRun: {project: e2e-project, region: europe-west1, name: metered}}
          window: 2h
          evaluationInterval: 1m
          objectives:
            - {name: availability, availability: {target: "99.5"}}
            - {name: latency-p95, latency: {percentile: 95, threshold: 500ms}}
        """);
    rig.apply(
        "metered",
        Rig.policy(
            "metered", ref, "Enforce", "  sloTargets: [metered]\n  gates: {slo: {}}\n" + STEPS));

    Instant applied = rig.clock.instant();
    SLOTargetStatus slo =
        Await.until(
            () -> sloTarget("metered"),
            s ->
                s != null
                    && s.getState() == SLOTargetStatus.SloState.Critical
                    && Rig.isTrue(s.getConditions(), Conditions.BUDGET_BURNING),
            Rig.WAIT,
            "the SLOTarget to see the budget burn");
    System.out.printf(
        "SLOTarget Critical with the budget burning %d s of clock time after it was applied%n",
        Duration.between(applied, rig.clock.instant()).toSeconds());
    ObjectiveStatus availability = objective(slo, "availability");
    // 10 % of requests fail; which few minutes are measured depends on the machine's load, and
    // over a few thousand requests the measured share varies by about a point.
    assertThat(Double.parseDouble(availability.current())).isBetween(86.0, 94.0);
    assertThat(availability.target()).isEqualTo("99.5");
    assertThat(availability.met()).isFalse();
    assertThat(availability.burnRates()).isNotEmpty();
    ObjectiveStatus latency = objective(slo, "latency-p95");
    assertThat(latency.met()).isTrue();
    assertThat(Rig.condition(slo.getConditions(), Conditions.OBJECTIVES_MET).status())
        .isEqualTo(Condition.Status.False);
    assertThat(Rig.condition(slo.getConditions(), Conditions.READY).status())
        .isEqualTo(Condition.Status.True);

    rig.let(Duration.ofMinutes(3));
    assertThat(
            rig.events("metered").stream()
                .filter(e -> e.getInvolvedObject().getKind().equals("SLOTarget"))
                .map(e -> e.getReason()))
        .as("one event per change, not one per evaluation")
        .containsOnlyOnce("StateCritical")
        .doesNotHaveDuplicates()
        .isSubsetOf("StateCritical", "ErrorBudgetBurn", "ObjectiveBreached");

    LumenPolicyStatus policy =
        rig.awaitStatus(
            "metered", s -> s.getGates().stream().anyMatch(g -> g.name().equals("slo")));
    assertThat(policy.getGates())
        .filteredOn(g -> g.name().equals("slo"))
        .singleElement()
        .satisfies(g -> assertThat(g.result()).isEqualTo(GateStatus.Result.Fail));

    String scraped = scrape();
    String slotarget = "namespace=\"metered\",service=\"metered\",slotarget=\"metered\"";
    String ofPolicy = "namespace=\"metered\",policy=\"metered\",service=\"metered\"";
    assertThat(scraped)
        .contains("lumen_slo_state{" + slotarget + ",state=\"Critical\"} 1.0")
        .contains("lumen_slo_compliance_percent{" + slotarget + "}")
        .containsPattern(
            "lumen_slo_objective_value\\{namespace=\"metered\",objective=\"latency-p95\"")
        .containsPattern(
            "lumen_slo_objective_met\\{namespace=\"metered\",objective=\"availability\",[^}]*\\} 0.0")
        .containsPattern(
            "lumen_slo_error_budget_remaining_percent\\{namespace=\"metered\",objective=\"availability\"")
        .containsPattern(
            "lumen_slo_burn_rate\\{namespace=\"metered\",objective=\"availability\",[^}]*severity=\"Page\"")
        .contains("lumen_policy_canary_weight_percent{" + ofPolicy + "} 0.0")
        .contains("lumen_policy_rollout_step{" + ofPolicy + "} -1.0")
        .containsPattern(
            "lumen_policy_gate\\{gate=\"slo\",namespace=\"metered\",[^}]*result=\"Fail\"[^}]*\\} 1.0")
        .containsPattern("lumen_policy_health_score\\{" + ofPolicy + "\\}")
        .contains(
            "lumen_policy_condition{condition=\"Ready\",namespace=\"metered\",policy=\"metered\","
                + "reason=\"Accepted\",service=\"metered\",status=\"True\"} 1.0")
        .containsPattern(
            "lumen_slo_condition\\{condition=\"ObjectivesMet\",namespace=\"metered\",[^}]*status=\"False\"\\} 1.0")
        .contains("lumen_operator_ready 1.0")
        .contains("lumen_operator_leader 1.0")
        .containsPattern("lumen_reconcile_duration_seconds_count\\{kind=\"lumenpolicy\"\\}")
        .containsPattern(
            "lumen_reconcile_duration_seconds\\{kind=\"slotarget\",quantile=\"0.99\"\\}")
        .containsPattern(
            "lumen_api_calls_total\\{api=\"monitoring.googleapis.com\",method=\"ListTimeSeries\",result=\"ok\"\\}")
        .containsPattern(
            "lumen_api_calls_total\\{api=\"run.googleapis.com\",method=\"GetService\",result=\"ok\"\\}");

    rig.client.resources(LumenPolicy.class).inNamespace("metered").withName("metered").delete();
    rig.client.resources(SLOTarget.class).inNamespace("metered").withName("metered").delete();
    Await.until(
        () -> scrape().lines().filter(line -> line.contains("namespace=\"metered\"")).toList(),
        List::isEmpty,
        Rig.WAIT,
        "the deleted resources' gauges to go");
  }

  static String scrape() {
    try {
      var response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/metrics"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static SLOTargetStatus sloTarget(String name) {
    SLOTarget t = rig.client.resources(SLOTarget.class).inNamespace(name).withName(name).get();
    return t == null ? null : t.getStatus();
  }

  static ObjectiveStatus objective(SLOTargetStatus status, String name) {
    return status.getObjectives().stream()
        .filter(o -> o.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void tooLittleTrafficKeepsTheCanaryWaitingThenTheProgressDeadlineRollsBackWhenAskedTo() {
    // 6 requests a minute: about one a minute reaches the canary at 20 %, far too few to show it
    // better than mustCatch before the deadline.
    var ref = rig.service("quiet", 6);
    rig.apply(
        "quiet",
        Rig.policy(
            "quiet",
            ref,
            "Enforce",
            "  rollout:\n"
                + "    steps: [{weight: 20, pause: 2m}, {weight: 100}]\n"
                + "    progressDeadline: 5m\n"
                + "    onProgressDeadline: Rollback\n"
                + "    rollback: {gracePeriod: 1m}\n"));
    rig.awaitReady("quiet");
    rig.google.world().deploy(ref, "quiet-00002", Behaviour.HEALTHY, rig.clock.instant());

    LumenPolicyStatus waiting =
        rig.awaitStatus(
            "quiet",
            s ->
                s.getRollout() != null
                    && s.getRollout().lastAnalysis() != null
                    && Instant.parse(s.getStepStartTime())
                        .plus(Duration.ofMinutes(3))
                        .isBefore(rig.clock.instant()));
    assertThat(waiting.getRollout().lastAnalysis().verdict())
        .isEqualTo(AnalysisStatus.Verdict.Inconclusive);
    assertThat(waiting.getCanaryWeight()).as("waiting, not promoted").isEqualTo(20);
    assertThat(waiting.getRollout().pendingRollback()).as("not rolled back on no data").isNull();

    LumenPolicyStatus failed =
        rig.awaitStatus(
            "quiet",
            s -> s.getRollout() != null && "quiet-00002".equals(s.getRollout().failedRevision()));
    assertThat(rig.trafficChanges(ref))
        .containsExactly(Map.of("quiet-00001", 80, "quiet-00002", 20), Map.of("quiet-00001", 100));
    assertThat(failed.getRecentDecisions())
        .filteredOn(d -> d.action().equals("Rollback"))
        .singleElement()
        .satisfies(
            d ->
                assertThat(d.reason())
                    .contains("no passing analysis within progressDeadline 5m")
                    .contains("Inconclusive"));
    assertThat(
            Duration.between(
                Rig.decisionTime(failed, "SetTraffic"), Rig.decisionTime(failed, "Rollback")))
        .as("pause 2m + deadline 5m + grace 1m")
        .isGreaterThanOrEqualTo(Duration.ofMinutes(8));
  }

  @Test
  void aHeldRollbackWaitsForThePerson() {
    var ref = rig.service("held");
    rig.apply(
        "held", Rig.policy("held", ref, "Enforce", STEPS + "    rollback: {gracePeriod: 3m}\n"));
    rig.awaitReady("held");
    rig.google.world().deploy(ref, "held-00002", new Behaviour(0.2, 80, 0.02), rig.clock.instant());

    rig.awaitStatus(
        "held", s -> s.getRollout() != null && s.getRollout().pendingRollback() != null);
    rig.annotate("held", "lumen.dev/hold-rollback");

    LumenPolicyStatus held =
        rig.awaitStatus("held", s -> Boolean.TRUE.equals(s.getRollout().held()));
    assertThat(Rig.condition(held.getConditions(), Conditions.ROLLBACK_PENDING).reason())
        .isEqualTo("RollbackHeld");
    Instant executeAfter = Instant.parse(held.getRollout().pendingRollback().executeAfter());
    rig.let(Duration.between(rig.clock.instant(), executeAfter).plus(Duration.ofMinutes(2)));
    assertThat(rig.trafficChanges(ref)).containsExactly(Map.of("held-00001", 80, "held-00002", 20));
    assertThat(rig.annotations("held")).doesNotContainKey("lumen.dev/hold-rollback");

    rig.annotate("held", "lumen.dev/release-rollback");
    rig.awaitStatus("held", s -> "held-00002".equals(s.getRollout().failedRevision()));
    assertThat(rig.trafficChanges(ref)).last().isEqualTo(Map.of("held-00001", 100));
  }

  @Test
  void dryRunChangesNothingButReportsTheDecisions() {
    var ref = rig.service("dry");
    rig.apply("dry", Rig.policy("dry", ref, "DryRun", STEPS));
    rig.awaitReady("dry");
    rig.google.world().deploy(ref, "dry-00002", Behaviour.HEALTHY, rig.clock.instant());

    LumenPolicyStatus status =
        rig.awaitStatus(
            "dry",
            s ->
                s.getRecentDecisions().stream()
                    .anyMatch(
                        d -> d.action().equals("SetTraffic") && Boolean.FALSE.equals(d.applied())));
    assertThat(status.getCanaryRevision()).isEqualTo("dry-00002");
    assertThat(rig.trafficChanges(ref)).isEmpty();
    assertThat(rig.google.cloudRun().find(ref.resourceName()).orElseThrow().traffic())
        .isEqualTo(Map.of("dry-00001", 100));
  }

  @Test
  void anApprovalStepWaitsForTheAnnotation() {
    var ref = rig.service("gated");
    rig.apply(
        "gated",
        Rig.policy(
            "gated",
            ref,
            "Enforce",
            "  rollout:\n    steps: [{weight: 20, pause: 2m}, {approval: {}}, {weight: 100}]\n"));
    rig.awaitReady("gated");
    rig.google.world().deploy(ref, "gated-00002", Behaviour.HEALTHY, rig.clock.instant());

    LumenPolicyStatus waiting =
        rig.awaitStatus("gated", s -> Integer.valueOf(1).equals(s.getStep()));
    assertThat(waiting.getCanaryWeight()).isEqualTo(20);
    rig.let(Duration.ofMinutes(3));
    assertThat(rig.policyStatus("gated").getStep()).isEqualTo(1);

    rig.annotate("gated", "lumen.dev/approve");
    rig.awaitStatus("gated", s -> "gated-00002".equals(s.getStableRevision()));
    assertThat(rig.trafficChanges(ref))
        .containsExactly(Map.of("gated-00001", 80, "gated-00002", 20), Map.of("gated-00002", 100));
    assertThat(rig.annotations("gated")).doesNotContainKey("lumen.dev/approve");
  }

  @Test
  void trafficEditedOutsideLumenPausesThePolicy() {
    var ref = rig.service("edited");
    rig.apply("edited", Rig.policy("edited", ref, "Enforce", STEPS));
    rig.awaitReady("edited");
    rig.google.world().deploy(ref, "edited-00002", Behaviour.HEALTHY, rig.clock.instant());
    rig.awaitStatus("edited", s -> Integer.valueOf(20).equals(s.getCanaryWeight()));

    rig.google
        .cloudRun()
        .editTrafficOutsideLumen(ref, Map.of("edited-00001", 60, "edited-00002", 40));

    LumenPolicyStatus paused =
        rig.awaitStatus(
            "edited", s -> s.getRollout() != null && s.getRollout().pausedReason() != null);
    Condition progressing = Rig.condition(paused.getConditions(), Conditions.PROGRESSING);
    assertThat(progressing.status()).isEqualTo(Condition.Status.False);
    assertThat(progressing.reason()).isEqualTo("TrafficChangedOutsideLumen");
    assertThat(progressing.message()).contains("lumen.dev/retry");
    assertThat(rig.trafficChanges(ref))
        .containsExactly(Map.of("edited-00001", 80, "edited-00002", 20));
  }
}
