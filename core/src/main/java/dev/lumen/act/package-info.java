/**
 * The shell's hands: turns the engine's actions into changes recorded in status, and makes them
 * through the ports, idempotently.
 */
package dev.lumen.act;
