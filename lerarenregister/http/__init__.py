"""ASGI middleware at the edge of the register, one concern per module (ARCHITECTURE.md)."""
