/**
 * The composition root: the operator wired by constructor on java-operator-sdk, its settings and
 * HTTP endpoints.
 */
package dev.lumen.runtime;
