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
        """The builder's Chorus rules, the XSD and the EN 16931 Schematron: no error; the layout Chorus Pro reads.

        Returns the parsed XML.
        """
        xml, findings = invoice._chorus_facturx_build()
        errors = only_errors(findings) + only_errors(validate_gate(xml))
        self.assertEqual([str(error) for error in errors], [])
        tree = etree.fromstring(xml)
        self.assertChorusLayout(tree, invoice)
        return tree

    def assertChorusLayout(self, tree, invoice):
        """BT-23 is the invoice's cadre; seller and buyer are their 14-digit SIRET under 0002; no SIREN, no GlobalID."""
        framework = self.xpath(tree, "//ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID")
        self.assertEqual([node.text for node in framework], [invoice.chorus_billing_framework or "A1"])
        parties = (
            ("SellerTradeParty", invoice.company_id.siret),
            ("BuyerTradeParty", invoice.commercial_partner_id.siret),
        )
        for party, siret in parties:
            identifiers = self.xpath(tree, f"//ram:{party}/ram:SpecifiedLegalOrganization/ram:ID")
            self.assertEqual([(node.text, node.get("schemeID")) for node in identifiers], [(siret, "0002")], party)
            self.assertFalse(self.xpath(tree, f"//ram:{party}/ram:GlobalID"), party)
            party_ids = [node.text for node in self.xpath(tree, f"//ram:{party}//ram:ID")]
            self.assertNotIn(siret[:9], party_ids, party)

    @staticmethod
    def xpath(tree, path):
        return tree.xpath(path, namespaces=NS)

    def text(self, tree, path):
        values = self.xpath(tree, path)
        return values[0].text if values else None
