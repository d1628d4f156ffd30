/**
 * Bulkheads around the endpoints that resources name themselves (a Prometheus, a Redis): each
 * endpoint may hold only a few of the shared reconcile threads, so a slow one delays only the
 * resources that use it.
 */
package dev.lumen.bulkhead;
