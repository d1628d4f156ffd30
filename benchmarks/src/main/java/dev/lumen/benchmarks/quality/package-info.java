/**
 * Decision quality: the shipped loop's false rollbacks, misses and detection times on simulated
 * rollouts, against Flagger's semantics and the sequential minimum.
 */
package dev.lumen.benchmarks.quality;
