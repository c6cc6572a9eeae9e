"""Factur-X for Chorus Pro: data model, CII builder (EN 16931), validation and PDF/A-3 embedding.

- ``model``: plain dataclasses the Odoo side fills from ``account.move`` (``Invoice``, ``Party``, ``Line`` ...);
- ``cii.build_cii(invoice) -> (xml_bytes, findings)``;
- ``validate.validate_xsd(xml_bytes)`` and ``validate.validate_schematron(xml_bytes, "en16931" | "fr2026")``;
- ``pdf.make_facturx_pdf(pdf_bytes, xml_bytes, attachments)`` and ``pdf.extract_facturx_xml(pdf_bytes)``.

Every check returns ``findings.Finding`` objects (rule id, severity, message, location).
"""
