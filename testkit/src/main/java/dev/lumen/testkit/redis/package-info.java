/** A local redis-server for tests and the demo. */
package dev.lumen.testkit.redis;
