/**
 * Benchmarks that print figures: the engine's decision time (JMH), a backtest's speed (JMH), Cloud
 * Monitoring calls per cycle.
 */
package dev.lumen.benchmarks;
