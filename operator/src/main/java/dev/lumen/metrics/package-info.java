/** Lumen's own metrics on /metrics: what each resource measured and decided, and API use. */
package dev.lumen.metrics;
