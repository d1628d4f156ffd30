/**
 * Simulated clusters: SimulatedCluster and SimulatedGoogle (the real adapters against the loopback
 * fakes), operator processes, the kill drill.
 */
package dev.lumen.sim;
