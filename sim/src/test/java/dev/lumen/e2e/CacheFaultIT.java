package dev.lumen.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.api.v1alpha1.Conditions;
import dev.lumen.api.v1alpha1.DecisionRecord;
import dev.lumen.api.v1alpha1.LumenPolicyStatus;
import dev.lumen.api.v1alpha1.RolloutPhase;
import dev.lumen.engine.Durations;
import dev.lumen.runtime.LumenOperator;
import dev.lumen.testkit.Await;
import dev.lumen.testkit.redis.LocalRedis;
import dev.lumen.testkit.world.SimCache;
import dev.lumen.testkit.world.SimWorld.Behaviour;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Protocol;

/**
 * The cache's Redis failing during a canary rollout of a policy that also tunes the cache TTL: down
 * for ten minutes, slower than the deadline, restarted empty, refusing writes. The rollout never
 * waits for Redis and ends exactly as an uninterrupted one; the TTL loop decides nothing on a
 * reading that did not arrive, and once Redis answers again it holds the TTL status says.
 */
class CacheFaultIT {
  static final String NAME = "cached";
  static final String REVISION = NAME + "-00002";
  static final String REST = rest("[{weight: 50, pause: 10m}, {weight: 100}]");

  /**
   * A person approves the last step: the test decides when the promotion may come, so it comes
   * after a TTL change has been refused however long the hit rate takes to call for one.
   */
  static final String REST_WITH_APPROVAL =
      rest("[{weight: 50, pause: 10m}, {approval: {}}, {weight: 100}]");

  private static String rest(String steps) {
    return """
          rollout:
            steps: %s
            # The cache loop is under test here, not the statistics: at 10 requests a second and
            # 0.1 %% errors, evidence against a 2x regression would take the better part of an hour.
            analysis: {compareWithStable: false}
          tuning:
            cacheTtl:
              redis: {urlSecretRef: {name: redis, key: url}}
              min: 5m
              max: 1h
              cooldown: 5m
        """
        .formatted(steps);
  }

  @Test
  void redisDownForTenMinutes() throws IOException {
    try (var run = new CachedRollout()) {
      run.redis.stop();
      run.awaitReadyMessage(m -> m.contains("Redis unreachable"));
      int ttlDecisions = run.ttlDecisions(run.rig.policyStatus(NAME)).size();
      run.rig.let(Duration.ofMinutes(10));
      assertThat(run.ttlDecisions(run.rig.policyStatus(NAME)))
          .as("no TTL decided without a reading")
          .hasSize(ttlDecisions);
      run.redis.startAgain();
      run.endsAsUninterrupted();
    }
  }

  @Test
  void redisSlowerThanTheDeadline() throws IOException {
    try (var run = new CachedRollout()) {
      // Seven seconds is seven clock minutes at 60x; the operator waits five for an answer.
      run.admin.sendCommand(Protocol.Command.CLIENT, "PAUSE", "7000");
      run.awaitReadyMessage(m -> m.contains("Redis unreachable") && m.contains("timed out"));
      run.endsAsUninterrupted();
    }
  }

  @Test
  void redisRestartedEmptyGetsTheTunedTtlBack() throws IOException {
    try (var run = new CachedRollout()) {
      LumenPolicyStatus raised =
          run.rig.awaitStatus(NAME, s -> !"5m".equals(s.getTuning().cacheTtl()));
      run.redis.restart();
      LumenPolicyStatus after =
          run.rig.awaitStatus(
              NAME,
              s ->
                  run.ttlDecisions(s).stream()
                      .anyMatch(d -> d.reason().contains("gone from Redis")));
      assertThat(Durations.parse(after.getTuning().cacheTtl()))
          .as("the tuned TTL comes back, not the minimum")
          .isGreaterThanOrEqualTo(Durations.parse(raised.getTuning().cacheTtl()));
      assertThat(run.ttlDecisions(after))
          .filteredOn(d -> d.reason().contains("publishing the minimum"))
          .as("published the minimum once, at the start")
          .hasSize(1);
      run.endsAsUninterrupted();
    }
  }

  @Test
  void aTtlChangeRedisRefusesWaitsWithoutHoldingUpTheRollout() throws IOException {
    try (var run = new CachedRollout(REST_WITH_APPROVAL)) {
      // Reads go on and writes wait: the next TTL raise is decided and cannot be made.
      run.admin.sendCommand(Protocol.Command.CLIENT, "PAUSE", "40000", "WRITE");
      run.awaitWaitingTtlChange();
      Await.until(
          () ->
              run.rig.events(NAME).stream()
                  .filter(
                      e ->
                          e.getReason().equals("ChangeRetrying")
                              && e.getMessage().contains("retried while decisions go on"))
                  .findFirst()
                  .orElse(null),
          Rig.WAIT,
          "the event saying the TTL change is retried");
      run.rig.awaitAnyStatus(NAME, s -> s.getPhase() == RolloutPhase.AwaitingApproval);
      // Redis refuses writes for another 40 clock minutes from here, whenever the raise came.
      run.admin.sendCommand(Protocol.Command.CLIENT, "PAUSE", "40000", "WRITE");
      run.rig.annotate(NAME, "lumen.dev/approve");
      LumenPolicyStatus promoted =
          run.rig.awaitAnyStatus(
              NAME,
              s ->
                  REVISION.equals(s.getStableRevision())
                      && pendingKinds(s).stream().noneMatch(kind -> kind.equals("SetTraffic")));
      assertThat(run.ttlKey())
          .as("Redis still holds the TTL from before the pause")
          .isEqualTo("300");
      assertThat(pendingKinds(promoted)).as("the TTL change waits").containsExactly("SetCacheTtl");
      run.admin.sendCommand(Protocol.Command.CLIENT, "UNPAUSE");
      run.endsAsUninterrupted();
    }
  }

  @Test
  void aWaitingTtlChangeIsDroppedWhenThePolicyTurnsToDryRun() throws IOException {
    try (var run = new CachedRollout()) {
      run.admin.sendCommand(Protocol.Command.CLIENT, "PAUSE", "40000", "WRITE");
      run.awaitWaitingTtlChange();

      run.rig.setMode(NAME, "DryRun");
      // Dropped while Redis still refuses writes: not made, not waiting.
      run.rig.awaitStatus(NAME, s -> true);
      run.admin.sendCommand(Protocol.Command.CLIENT, "UNPAUSE");
      // Decisions go on in DryRun, reported and not made: wait for one about the TTL.
      Await.until(
          () ->
              run.rig.events(NAME).stream()
                  .filter(e -> e.getReason().equals("DryRunSetCacheTtl"))
                  .findFirst()
                  .orElse(null),
          Rig.WAIT,
          "a TTL decision in DryRun");

      assertThat(run.ttlKey()).as("the dropped change was never made").isEqualTo("300");
    }
  }

  private static List<String> pendingKinds(LumenPolicyStatus status) {
    return status.getPending() == null || status.getPending().changes() == null
        ? List.of()
        : status.getPending().changes().stream().map(c -> c.kind()).toList();
  }

  /** A service whose application caches in a real Redis, its policy Ready, a canary at 50 %. */
  private static final class CachedRollout implements AutoCloseable {
    final LocalRedis redis = LocalRedis.start();
    final Rig rig = new Rig(60, 23);
    final LumenOperator operator = rig.operator(new SimpleMeterRegistry());
    final JedisPooled admin = new JedisPooled(redis.url());
    final SimCache cache;
    final CloudRunServiceReference ref;

    CachedRollout() {
      this(REST);
    }

    CachedRollout(String rest) {
      ref = rig.service(NAME);
      // Entries re-read every 4 minutes: the TTL rises from 5m, settling at 11m15s.
      cache =
          SimCache.inRedis(
              redis.url(),
              new SimCache.Usage(
                  "lumen:ttl:" + NAME, Duration.ofMinutes(5), Duration.ofMinutes(4), 2000));
      rig.google.world().attachCache(ref, cache);
      rig.secret(NAME, "redis", Map.of("url", redis.url().toString()));
      rig.apply(NAME, Rig.policy(NAME, ref, "Enforce", rest));
      rig.awaitStatus(NAME, s -> s.getTuning() != null && "5m".equals(s.getTuning().cacheTtl()));
      rig.google.world().deploy(ref, REVISION, Behaviour.HEALTHY, rig.clock.instant());
      rig.awaitStatus(NAME, s -> Integer.valueOf(50).equals(s.getCanaryWeight()));
    }

    List<DecisionRecord> ttlDecisions(LumenPolicyStatus status) {
      return status.getRecentDecisions().stream()
          .filter(d -> d.action().equals("SetCacheTtl"))
          .toList();
    }

    void awaitWaitingTtlChange() {
      rig.awaitAnyStatus(NAME, s -> pendingKinds(s).contains("SetCacheTtl"));
    }

    String ttlKey() {
      return admin.get("lumen:ttl:" + NAME);
    }

    void awaitReadyMessage(Predicate<String> test) {
      Await.until(
          () ->
              Optional.ofNullable(rig.policyStatus(NAME))
                  .map(s -> Rig.condition(s.getConditions(), Conditions.READY).message())
                  .filter(test)
                  .orElse(null),
          Rig.WAIT,
          "the Ready message naming Redis");
    }

    /**
     * The two traffic changes of the rollout, once each; no rollback; Redis holding the TTL status
     * records; a Ready message that names no gap.
     */
    void endsAsUninterrupted() {
      LumenPolicyStatus done = rig.awaitStatus(NAME, s -> REVISION.equals(s.getStableRevision()));
      assertThat(rig.trafficChanges(ref))
          .containsExactly(Map.of(NAME + "-00001", 50, REVISION, 50), Map.of(REVISION, 100));
      assertThat(done.getRecentDecisions())
          .extracting(DecisionRecord::action)
          .doesNotContain("RolledBack", "RollbackAnnounced");
      LumenPolicyStatus settled =
          rig.awaitStatus(
              NAME,
              s ->
                  !Rig.condition(s.getConditions(), Conditions.READY)
                          .message()
                          .contains("not measured this cycle")
                      && Long.toString(Durations.parse(s.getTuning().cacheTtl()).toSeconds())
                          .equals(ttlKey()));
      assertThat(settled.getPending()).isNull();
    }

    @Override
    public void close() throws IOException {
      cache.close();
      admin.close();
      operator.close();
      rig.close();
      redis.close();
    }
  }
}
