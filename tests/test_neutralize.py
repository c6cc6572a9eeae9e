from odoo.modules.neutralize import get_neutralization_queries
from odoo.tests import tagged

from .common import ChorusCommon


@tagged("post_install", "-at_install")
class TestChorusNeutralize(ChorusCommon):
    def test_restored_copy_forgets_credentials_and_leaves_production(self):
        self.company.sudo().write(
            {
                "chorus_environment": "production",
                "chorus_client_id": "prod-id",
                "chorus_client_secret": "prod-secret",
                "chorus_login": "TECH_1_73282932000074@cpro.fr",
                "chorus_password": "prod-password",
            }
        )
        self.env.flush_all()
        for query in get_neutralization_queries(["l10n_fr_chorus_pro"]):
            self.env.cr.execute(query)
        self.env.invalidate_all()
        company = self.company.sudo()
        self.assertEqual(company.chorus_environment, "qualification")
        self.assertFalse(company.chorus_client_secret or company.chorus_password or company.chorus_client_id)
