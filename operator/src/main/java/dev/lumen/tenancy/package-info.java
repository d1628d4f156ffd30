/**
 * Which namespaces may have Lumen steer which Cloud Run services: {@code LumenProjectBinding}s in
 * the bound mode (the default), everything in the single-team mode.
 */
package dev.lumen.tenancy;
