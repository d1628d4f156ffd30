package dev.lumen.tenancy;

import dev.lumen.ports.CloudRunServices;
import dev.lumen.ports.MetricSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * One view of a Google client per Google identity Lumen acts as. Reads are batched and shared per
 * client object (a project's services or metrics in one request), so giving each identity its own
 * object keeps a read made as team A's account from serving team B's resources, and the other way
 * round. The views hold nothing: the call on the caller's thread takes its identity from {@link
 * Caller}.
 */
public final class PerIdentity<T> implements Supplier<T> {
  private final T operatorsOwn;
  private final UnaryOperator<T> newView;
  private final Map<String, T> views = new ConcurrentHashMap<>();

  private PerIdentity(T operatorsOwn, UnaryOperator<T> newView) {
    this.operatorsOwn = operatorsOwn;
    this.newView = newView;
  }

  public static PerIdentity<MetricSource> monitoring(MetricSource operatorsOwn) {
    return new PerIdentity<>(operatorsOwn, MonitoringView::new);
  }

  public static PerIdentity<CloudRunServices> cloudRun(CloudRunServices operatorsOwn) {
    return new PerIdentity<>(operatorsOwn, CloudRunView::new);
  }

  /** The view for the identity of the resource reconciled on this thread. */
  @Override
  public T get() {
    Optional<String> account = Caller.current().flatMap(Caller::googleServiceAccount);
    return account.isEmpty()
        ? operatorsOwn
        : views.computeIfAbsent(account.get(), a -> newView.apply(operatorsOwn));
  }
}
