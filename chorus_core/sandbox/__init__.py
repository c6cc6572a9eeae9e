"""Local Chorus Pro sandbox: PISTE token, Chorus Pro API subset, state machines and fault switches.

See docs/sandbox.md. Standard library HTTP server; no Odoo import.
"""

from .server import SandboxServer

__all__ = ["SandboxServer"]
