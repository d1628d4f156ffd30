/**
 * The control loop, once: {@link dev.lumen.cycle.PolicyCycle} and {@link dev.lumen.cycle.SloCycle}
 * are the whole per-resource script (observe, finish or drop pending changes, decide, merge waiting
 * changes, record, act, report, when to look next), framework-free, behind two small ports: a
 * {@link dev.lumen.cycle.StatusStore} and a {@link dev.lumen.cycle.DecisionSink}. The operator's
 * reconcilers, the backtest, the demo and the benchmarks all run it.
 */
package dev.lumen.cycle;
