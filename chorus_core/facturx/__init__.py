"""Factur-X for Chorus Pro: data model, CII builder (EN 16931), validation and PDF/A-3 embedding."""
