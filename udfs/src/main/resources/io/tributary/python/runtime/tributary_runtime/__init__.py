"""Tributary's Python worker: runs transform scripts sent by the JVM over Arrow IPC streams on its pipes."""
