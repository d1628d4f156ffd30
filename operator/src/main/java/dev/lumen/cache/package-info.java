/**
 * The Redis adapter of the cache port: hit and miss counters from INFO, the TTL key, with
 * deadlines.
 */
package dev.lumen.cache;
