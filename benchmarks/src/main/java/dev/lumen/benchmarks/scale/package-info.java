/** One operator and a thousand policies: Google calls, heap, CPU and reconcile times. */
package dev.lumen.benchmarks.scale;
