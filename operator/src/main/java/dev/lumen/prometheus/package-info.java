/** The Prometheus adapters: Cloud Run metrics and custom objectives over the HTTP query API. */
package dev.lumen.prometheus;
