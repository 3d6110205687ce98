/**
 * Test-only crash points (issue 16, deliverable 4): with the JVM property
 * {@code -Dconpaas.testHooks=crash-points} AND {@code CONPAAS_TEST_CRASH_AT=<cloud|api|agent>:<N>[:after]} the
 * operator halts (Runtime.halt: no shutdown hook, no finalizer) at its Nth write of that kind, before it is
 * sent or (":after") once it was answered. {@code CONPAAS_TEST_WRITE_LOG=<file>} lists every write with its
 * number (the sweep's dry run). Without the property nothing here is active (the variables are ignored with
 * a warning), so an environment variable alone can never make a production operator crash.
 */
package io.conpaas.operator.faults;
