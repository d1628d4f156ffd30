/**
 * The local tool's command line: the operator's commands and demo, backtest, run-local,
 * run-simulated.
 */
package dev.lumen.sim.cli;
