/**
 * Test fixtures as a library, never shipped: helpers that start real programs and wait for
 * outcomes, the bad-input corpus.
 */
package dev.lumen.testkit;
