package dev.lumen.e2e;

import dev.lumen.api.v1alpha1.CloudRunServiceReference;
import dev.lumen.ports.CloudRunServices;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One operator process's Cloud Run client that can die at a chosen traffic change: just before the
 * call or just after Google made it. From then on every call fails, as nothing of a killed process
 * reaches the outside any more, and the test stops the operator. Also counts the calls it passed
 * on, to tell an operator that acted from one that did not.
 */
final class Mortal implements CloudRunServices {
  enum When {
    BEFORE,
    AFTER
  }

  /**
   * Thrown in place of the calls of a dead process: an Error, so nothing handles it (a cycle
   * reports a RuntimeException as ReconcileFailing, which a killed process could not).
   */
  static final class Killed extends Error {
    Killed() {
      super("the operator was killed", null, false, false);
    }
  }

  private final CloudRunServices delegate;
  private final Map<String, Integer> killAt;
  private final When when;
  private final CountDownLatch died = new CountDownLatch(1);
  private final AtomicInteger calls = new AtomicInteger();
  private volatile boolean dead;

  private Mortal(CloudRunServices delegate, Map<String, Integer> killAt, When when) {
    this.delegate = delegate;
    this.killAt = killAt;
    this.when = when;
  }

  /** Dies {@code when} the operator sets the traffic to {@code split}. */
  static Mortal dyingAt(CloudRunServices delegate, Map<String, Integer> split, When when) {
    return new Mortal(delegate, split, when);
  }

  static Mortal immortal(CloudRunServices delegate) {
    return new Mortal(delegate, null, When.BEFORE);
  }

  boolean awaitDeath(long seconds) throws InterruptedException {
    return died.await(seconds, TimeUnit.SECONDS);
  }

  int calls() {
    return calls.get();
  }

  @Override
  public ServiceState get(CloudRunServiceReference service) {
    alive();
    return delegate.get(service);
  }

  @Override
  public Map<String, ServiceState> list(String project, String region) {
    alive();
    return delegate.list(project, region);
  }

  @Override
  public List<RevisionInfo> revisions(CloudRunServiceReference service) {
    alive();
    return delegate.revisions(service);
  }

  @Override
  public void setTraffic(
      CloudRunServiceReference service,
      Map<String, Integer> percentByRevision,
      Map<String, String> tagByRevision) {
    alive();
    boolean fatal = percentByRevision.equals(killAt);
    if (fatal && when == When.BEFORE) {
      die();
    }
    delegate.setTraffic(service, percentByRevision, tagByRevision);
    if (fatal) {
      die();
    }
  }

  @Override
  public void setMinInstances(CloudRunServiceReference service, int count) {
    alive();
    delegate.setMinInstances(service, count);
  }

  private void alive() {
    if (dead) {
      throw new Killed();
    }
    calls.incrementAndGet();
  }

  private void die() {
    dead = true;
    died.countDown();
    throw new Killed();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
