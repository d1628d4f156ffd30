/** The tuning loops: min-instances from cold starts and budget, cache TTL from the hit rate. */
package dev.lumen.engine.tuning;
