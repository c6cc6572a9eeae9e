"""Factur-X for Chorus Pro: data model, CII builder (EN 16931), validation and PDF/A-3 embedding.

- ``model``: plain dataclasses the Odoo side fills from ``account.move`` (``Invoice``, ``Party``, ``Line`` ...);
- ``cii.build_cii(invoice) -> (xml_bytes, findings)``;
- ``validate.validate_gate(xml_bytes)``: the XSD then the official Factur-X EN 16931 Schematron, the checks
  that block a deposit (``validate_xsd`` and ``validate_schematron(xml_bytes, ruleset)`` one by one);
- ``pdf.make_facturx_pdf(pdf_bytes, xml_bytes, attachments)`` and ``pdf.extract_facturx_xml(pdf_bytes)``.

Every check returns ``findings.Finding`` objects (rule id, severity, English template and its params,
location); the Odoo side translates the template.
"""
