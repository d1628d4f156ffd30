/**
 * Quotas of Google API calls per project and per minute, kept in front of the Google clients so
 * that a thousand policies never spend more of a project's quota than the operator is given.
 */
package dev.lumen.quota;
