"""The sandbox's version: recorded with every attempt, so only this version's attempts replay."""

__version__ = "0.2.0"
