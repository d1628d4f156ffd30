/**
 * Clocks for simulated time (in core's test-jar, for tests and the simulator): a clock set by hand
 * for virtual time, and one that runs a given number of times faster than real time.
 */
package dev.lumen.clock;
