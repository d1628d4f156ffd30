/**
 * The narrow interfaces through which Lumen observes and acts on the world. Each port has a real
 * adapter (gcp/, cache/, prometheus/ in the operator) and an in-memory fake (core's test-jar, which
 * testkit passes on), and one abstract contract test runs against both. Ports throw only {@link
 * dev.lumen.ports.PortException}: transient failures are retried and then become "no data",
 * permanent ones are reported.
 */
package dev.lumen.ports;
