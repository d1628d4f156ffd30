/**
 * What was measured: request counts, latency distributions, traffic windows and splits, cache
 * counters; values, no rules.
 */
package dev.lumen.engine.measure;
