/**
 * The shell's eyes: reads through the ports and turns what they return into the engine's
 * observations. Metric reads are shared between reconciles (one request per project, window and
 * metric kind per cycle), cache counters are kept as a short history, and nothing here decides.
 */
package dev.lumen.observe;
