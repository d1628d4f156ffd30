package dev.lumen.runtime;

/**
 * Gives the JVM's common pool at least two threads, which it lacks on one or two CPUs, as an
 * operator's pod often has. With fewer, {@code CompletableFuture} runs every asynchronous step on a
 * thread of its own, and the JDK HTTP client that fabric8 uses completes every Kubernetes request
 * that way: 17,000 threads started in 90 s of the scale benchmark on a 2-CPU machine.
 */
public final class CommonPool {
  static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";
  static final int LEAST = 2;

  private CommonPool() {}

  /**
   * Call first thing in {@code main}: the pool reads the setting once, when first used. An explicit
   * {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism} is kept.
   */
  public static void atLeastTwoThreads() {
    if (System.getProperty(PARALLELISM) == null
        && Runtime.getRuntime().availableProcessors() - 1 < LEAST) {
      System.setProperty(PARALLELISM, String.valueOf(LEAST));
    }
  }
}
