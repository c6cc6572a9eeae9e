from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ChorusCommon


@tagged("post_install", "-at_install")
class TestChorusPartner(ChorusCommon):
    def test_public_buyer_refuses_a_siren(self):
        with self.assertRaisesRegex(ValidationError, "SIRET"):
            self.buyer.siret = "732829320"

    def test_public_buyer_refuses_a_bad_checksum(self):
        with self.assertRaises(ValidationError):
            self.buyer.siret = "12345678200052"

    def test_other_customers_keep_their_siret_untouched(self):
        customer = self.env["res.partner"].create({"name": "Private Co", "siret": "12345"})
        self.assertEqual(customer.siret, "12345")

    def test_service_code_is_unique_per_buyer(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.env["chorus.service"].create({"partner_id": self.buyer.id, "code": "FINANCES"})

    def test_services_shown_with_code_and_name(self):
        self.assertEqual(self.service_finance.display_name, "FINANCES - Direction des finances")
