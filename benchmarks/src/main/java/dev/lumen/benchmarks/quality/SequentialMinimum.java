package dev.lumen.benchmarks.quality;

import java.time.Duration;
import java.util.List;

/**
 * The earliest a regression can be told apart from a healthy canary: Wald's sequential probability
 * ratio test needs, on average, {@code [(1-b) ln((1-b)/a) + b ln(b/(1-a))] / KL} observations when
 * the regression is real (a the false-alarm and b the miss probability, KL the Kullback-Leibler
 * divergence per observation of the regressed revision from the healthy one), and no test can need
 * fewer on average at those error probabilities. The time is when the canary has served that many
 * requests on the rollout's schedule, plus the metric data delay.
 */
final class SequentialMinimum {
  /** A weight held for a time; the last step is held to the end. */
  record Step(int weight, Duration hold) {}

  private final double falseAlarm;
  private final double miss;

  SequentialMinimum(double falseAlarm, double miss) {
    this.falseAlarm = falseAlarm;
    this.miss = miss;
  }

  /** Observations needed on average to detect a divergence of {@code kl} nats each. */
  double expectedRequests(double kl) {
    double a = falseAlarm;
    double b = miss;
    return ((1 - b) * Math.log((1 - b) / a) + b * Math.log(b / (1 - a))) / kl;
  }

  /** Per request, between an error rate {@code regressed} and {@code healthy}. */
  static double bernoulliDivergence(double regressed, double healthy) {
    return regressed * Math.log(regressed / healthy)
        + (1 - regressed) * Math.log((1 - regressed) / (1 - healthy));
  }

  /** Per request, between log-normal latencies with the same spread and these medians. */
  static double logNormalDivergence(double regressedMedian, double healthyMedian, double sigma) {
    double shift = Math.log(regressedMedian / healthyMedian);
    return shift * shift / (2 * sigma * sigma);
  }

  /** When the canary has served {@code requests} on {@code schedule}, plus {@code dataDelay}. */
  static Duration time(
      double requests, double requestsPerMinute, List<Step> schedule, Duration dataDelay) {
    double served = 0;
    double minutes = 0;
    for (int i = 0; i < schedule.size(); i++) {
      Step step = schedule.get(i);
      double rate = requestsPerMinute * step.weight() / 100.0;
      boolean last = i == schedule.size() - 1;
      double stepMinutes = step.hold().toSeconds() / 60.0;
      if (last || served + rate * stepMinutes >= requests) {
        minutes += (requests - served) / rate;
        return Duration.ofSeconds(Math.round(minutes * 60)).plus(dataDelay);
      }
      served += rate * stepMinutes;
      minutes += stepMinutes;
    }
    throw new IllegalArgumentException("empty schedule");
  }
}
