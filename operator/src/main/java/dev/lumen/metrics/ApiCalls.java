package dev.lumen.metrics;

import dev.lumen.ports.PortException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/** Counts calls to outside APIs by method and outcome (ok, transient, permanent). */
final class ApiCalls {
  private final MeterRegistry registry;
  private final String api;

  ApiCalls(MeterRegistry registry, String api) {
    this.registry = registry;
    this.api = api;
  }

  <T> T call(String method, Supplier<T> call) {
    try {
      T result = call.get();
      count(method, "ok");
      return result;
    } catch (PortException e) {
      count(method, e.isTransient() ? "transient" : "permanent");
      throw e;
    } catch (RuntimeException e) {
      count(method, "error");
      throw e;
    }
  }

  void run(String method, Runnable call) {
    call(
        method,
        () -> {
          call.run();
          return null;
        });
  }

  private void count(String method, String result) {
    Counter.builder("lumen.api.calls")
        .description("Calls to outside APIs by api, method and result")
        .tag("api", api)
        .tag("method", method)
        .tag("result", result)
        .register(registry)
        .increment();
  }
}
