"""CortexReel: screenplay analysis and production breakdown."""

__version__ = "0.1.0"
