from lxml import etree

from odoo import Command

from ..chorus_core.facturx.findings import only_errors
from ..chorus_core.facturx.validate import validate_gate
from .common import ChorusCommon

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}


class ChorusFacturxCommon(ChorusCommon):
    """The Chorus fixture with addresses and the French taxes the Factur-X tests use."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"street": "12 rue de la Paix", "zip": "75002", "city": "Paris"})
        cls.buyer.write({"street": "1 place de la Mairie", "zip": "69001", "city": "Lyon"})
        chart = cls.env["account.chart.template"]
        cls.tax_20 = chart.ref("tva_normale")
        cls.tax_10 = chart.ref("tva_intermediaire")
        cls.tax_5_5 = chart.ref("tva_reduite")
        cls.tax_exempt = chart.ref("tva_sale_service_0")
        # The chart ships the reduced rates inactive.
        (cls.tax_10 | cls.tax_5_5 | cls.tax_exempt).active = True

    @classmethod
    def _line(cls, price=100.0, tax=None, quantity=1.0, **values):
        return Command.create(
            {
                "product_id": cls.product_a.id,
                "quantity": quantity,
                "price_unit": price,
                "tax_ids": [Command.set((tax or cls.tax_20).ids)],
                **values,
            }
        )

    def assertValidFacturx(self, invoice):
        """The builder's Chorus rules, the XSD and the EN 16931 Schematron: no error. Returns the parsed XML."""
        xml, findings = invoice._chorus_facturx_build()
        errors = only_errors(findings) + only_errors(validate_gate(xml))
        self.assertEqual([str(error) for error in errors], [])
        return etree.fromstring(xml)

    @staticmethod
    def xpath(tree, path):
        return tree.xpath(path, namespaces=NS)

    def text(self, tree, path):
        values = self.xpath(tree, path)
        return values[0].text if values else None
