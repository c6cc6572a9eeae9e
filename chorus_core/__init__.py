"""Chorus Pro core: pure Python, no Odoo import.

Holds what does not need the ORM so it can be tested fast and reused: the
Chorus rules (SIRET, limits), the PISTE/Chorus Pro API client, the Factur-X
builder and validators, and a local Chorus Pro sandbox.
Modules inside import each other relatively, so the package works both as
``chorus_core`` (pytest, sandbox) and inside the Odoo add-on.
"""
