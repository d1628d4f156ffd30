package dev.lumen.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At the first reconcile after a start, announces every resource of the informer cache that this
 * operator serves, before any of them is evaluated: the shared metric reads then bring every
 * service of a project in their first call, instead of one call more for each resource evaluated
 * after it ({@link dev.lumen.observe.BatchedMetrics#expect}). The informers have synced before the
 * first reconcile, so the cache holds every resource then.
 */
public final class AnnounceAtStart<R extends HasMetadata> {
  private static final Logger LOG = LoggerFactory.getLogger(AnnounceAtStart.class);

  private final Consumer<R> announce;
  private volatile boolean done;

  /**
   * @param announce tells the cycle of one resource; a resource it cannot read (an invalid spec) is
   *     left to its own reconcile, which reports it
   */
  public AnnounceAtStart(Consumer<R> announce) {
    this.announce = announce;
  }

  /** Announces the cached resources {@code serves} accepts, once; concurrent callers wait. */
  public void before(Context<R> context, Predicate<R> serves) {
    if (done) {
      return;
    }
    synchronized (this) {
      if (done) {
        return;
      }
      long started = System.nanoTime();
      int[] announced = {0};
      context
          .getPrimaryCache()
          .list()
          .filter(serves)
          .forEach(
              resource -> {
                try {
                  announce.accept(resource);
                  announced[0]++;
                } catch (RuntimeException e) {
                  // Its own reconcile reports what is wrong with it.
                }
              });
      done = true;
      LOG.info(
          "Announced {} resources to the shared metric reads before their first evaluation ({} ms)",
          announced[0],
          (System.nanoTime() - started) / 1_000_000);
    }
  }
}
