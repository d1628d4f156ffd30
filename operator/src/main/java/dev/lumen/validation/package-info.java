/**
 * Whether a resource is acceptable and why not: schema defaults, OpenAPI, CEL and semantic checks,
 * with the field and the fix.
 */
package dev.lumen.validation;
