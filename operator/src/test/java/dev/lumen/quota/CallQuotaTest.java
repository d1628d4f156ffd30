package dev.lumen.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lumen.ports.PortException;
import dev.lumen.tenancy.Caller;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The quota under real contention and real time. Only upper bounds on what got through are asserted
 * (a slow machine lets fewer calls through, never more), plus that calls do get through.
 */
class CallQuotaTest {
  @Test
  void eightThreadsHammeringOneProjectGetNoMoreThanTheQuota() throws Exception {
    var registry = new SimpleMeterRegistry();
    // 120 a minute: at most 2 a second, plus the one second the limiter may have saved.
    var quota = new CallQuota("run.googleapis.com", 120, Duration.ofMillis(50), registry);
    var allowed = new ConcurrentLinkedQueue<Long>();
    var refused = new AtomicInteger();
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(3);
    var pool = Executors.newFixedThreadPool(8);
    for (int t = 0; t < 8; t++) {
      pool.execute(
          () -> {
            while (System.nanoTime() < end) {
              try {
                quota.spend("shop-prod");
                allowed.add(System.nanoTime() - start);
              } catch (PortException e) {
                assertThat(e.isTransient()).isTrue();
                refused.incrementAndGet();
              }
            }
          });
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

    double seconds = (System.nanoTime() - start) / 1e9;
    assertThat(allowed).hasSizeGreaterThanOrEqualTo(2);
    assertThat((double) allowed.size()).isLessThanOrEqualTo(2 + seconds * 120 / 61.0 + 1);
    assertThat(refused.get()).isPositive();
    assertThat(
            registry
                .get("lumen.google.quota.exhausted")
                .tag("project", "shop-prod")
                .counter()
                .count())
        .isEqualTo(refused.get());
  }

  @Test
  void eachProjectHasItsOwnQuotaAndARefusalSaysWhose() {
    var quota =
        new CallQuota("monitoring.googleapis.com", 1, Duration.ZERO, new SimpleMeterRegistry());
    quota.spend("a");
    quota.spend("b");

    assertThatThrownBy(() -> quota.spend("a"))
        .isInstanceOf(PortException.class)
        .hasMessage(
            "monitoring.googleapis.com quota of 1 calls a minute for project a is spent; the"
                + " call waits for the next evaluation");
  }

  @Test
  void oneNamespaceSpendsAtMostItsShareAndLeavesTheRestOfTheProjectToTheOthers() {
    // Limiters that count calls within one minute, so the share is what is under test.
    CallQuota.Limiters counting =
        perMinute -> {
          var used = new AtomicInteger();
          return maxWait -> used.incrementAndGet() <= perMinute;
        };
    var quota =
        new CallQuota(
            "run.googleapis.com", 10, 5, Duration.ZERO, new SimpleMeterRegistry(), counting);

    assertThat(spendUntilRefused(quota, "team-a", "shop-prod")).isEqualTo(5);
    assertThat(spendUntilRefused(quota, "team-b", "shop-prod")).isEqualTo(5);
    assertThat(spendUntilRefused(quota, "team-a", "other-project")).isEqualTo(5);
    assertThatThrownBy(() -> spendOnce(quota, "team-a", "shop-prod"))
        .hasMessage(
            "run.googleapis.com calls of namespace team-a for project shop-prod reached its share"
                + " of 5 a minute; the call waits for the next evaluation");
    // Outside a reconcile (no namespace) only the project's quota counts.
    assertThatThrownBy(() -> quota.spend("shop-prod")).hasMessageContaining("is spent");
  }

  static int spendUntilRefused(CallQuota quota, String namespace, String project) {
    int spent = 0;
    while (spent < 100) {
      try {
        spendOnce(quota, namespace, project);
        spent++;
      } catch (PortException refused) {
        return spent;
      }
    }
    return spent;
  }

  static void spendOnce(CallQuota quota, String namespace, String project) {
    Caller.runAs(
        new Caller(namespace, Optional.empty()),
        () -> {
          quota.spend(project);
          return null;
        });
  }
}
