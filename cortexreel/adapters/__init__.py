"""Adapters: the I/O behind each port. Built only by cortexreel.bootstrap."""
