/**
 * The simulated world: Cloud Run services whose revisions serve traffic with errors, latency, cold
 * starts and cost, and caches whose hit rate follows the TTL.
 */
package dev.lumen.testkit.world;
