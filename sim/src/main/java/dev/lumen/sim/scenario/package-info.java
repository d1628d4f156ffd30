/**
 * Scenarios: files, worlds, the live run and the backtest (both through the shipped cycles),
 * expectations and reports.
 */
package dev.lumen.sim.scenario;
