/**
 * The Lumen API, group {@code lumen.dev}, version {@code v1alpha1}: the CRD model only.
 *
 * <p>Spec types are immutable records (they are the user's intent); status types are mutable
 * classes the operator fills in. Field descriptions become {@code kubectl explain} text, and the
 * validation annotations become the OpenAPI schema and CEL rules of the CRDs under {@code crds/}.
 * Numbers in spec are integers or decimal strings, never floats, so that what the user wrote is
 * what the operator reads.
 */
package dev.lumen.api.v1alpha1;
