from odoo.tests import tagged

from odoo.addons.l10n_fr_chorus_pro.chorus_core.sandbox import fixtures

from .facturx_common import ChorusFacturxCommon
from .sandbox_common import ChorusSandboxCommon, attach_printed_facturx

HOSPITAL_SIRET = "12345678200036"  # requires an engagement number
HOSPITAL_ENGAGEMENT = "EJ-HOP-2026-0815"
ENGAGEMENT_SEARCH = "engagementsJuridiques/v1/rechercher"
DEPOSIT = "factures/v1/deposer/flux"


@tagged("post_install", "-at_install")
class TestChorusEngagementCheck(ChorusSandboxCommon, ChorusFacturxCommon):
    """The engagement number asked of Chorus Pro before sending, on the sandbox over HTTP."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hospital = cls.env["res.partner"].create(
            {
                "name": "Hôpital",
                "is_company": True,
                "country_id": cls.env.ref("base.fr").id,
                "street": "1 rue de l'Hôpital",
                "zip": "75013",
                "city": "Paris",
                "chorus_is_public_buyer": True,
                "siret": HOSPITAL_SIRET,
                "chorus_requirement": "engagement",
            }
        )

    def setUp(self):
        super().setUp()
        self.sandbox.control.set_subscriptions(fixtures.API_GROUPS)

    def _invoice(self, engagement, partner=None):
        invoice = self._chorus_invoice(
            partner=partner or self.hospital, chorus_service_id=False, purchase_order_reference=engagement
        )
        attach_printed_facturx(invoice)
        return invoice

    def test_an_unknown_number_is_caught_before_sending(self):
        invoice = self._invoice("EJ-HOP-2026-0851")
        result = invoice.chorus_send()[invoice.id]
        self.assertEqual(result["result"], "not_ready")
        self.assertIn("Chorus Pro knows no order with the engagement number EJ-HOP-2026-0851", result["message"])
        self.assertIn("purchase order of Hôpital", result["message"])
        self.assertEqual(invoice.chorus_engagement_check, "unknown")
        self.assertEqual(self.api_calls().get(DEPOSIT, 0), 0)
        # The Send dialog computes its alerts again and again: the answer is kept for the number.
        self.assertEqual(invoice.chorus_preflight()[-1], result["message"])
        self.assertEqual(self.api_calls(ENGAGEMENT_SEARCH), {ENGAGEMENT_SEARCH: 1})

        invoice.purchase_order_reference = HOSPITAL_ENGAGEMENT
        self.assertFalse(invoice.chorus_engagement_check, "the kept answer was for another number")
        self.assertEqual(invoice.chorus_preflight(), [])
        self.assertEqual(invoice.chorus_engagement_check, "known")
        # A known number is never asked again (the deposit of an invoice checked so: test_chorus_directory.py).
        self.assertEqual(invoice.chorus_preflight(), [])
        self.assertEqual(self.api_calls(ENGAGEMENT_SEARCH), {ENGAGEMENT_SEARCH: 2})

    def test_a_subcontractor_s_number_is_not_checked_against_its_own_structure(self):
        # The buyer ordered from the main contractor: a number unknown under the subcontractor is not an error.
        invoice = self._invoice("EJ-HOP-2026-0851")
        invoice.chorus_billing_framework = "A9"
        self.assertNotIn("engagement_unknown", [code for code, _message in invoice._chorus_preflight_problems()])
        self.assertEqual(self.api_calls().get(ENGAGEMENT_SEARCH, 0), 0)
        action = invoice.action_chorus_check_engagement()
        self.assertIn("main contractor", action["params"]["message"])

    def test_a_check_that_could_not_be_made_never_blocks(self):
        # The EJ API of Chorus Pro answers 503 (unavailable); the rest of Chorus Pro works.
        self.sandbox.control.set_fault(http_503=5, target="/cpro/engagementsJuridiques/")
        invoice = self._invoice(HOSPITAL_ENGAGEMENT)
        result = invoice.chorus_send()[invoice.id]
        self.assertEqual(result["result"], "sent", result["message"])
        self.assertEqual(invoice.chorus_engagement_check, "unchecked")
        notes = invoice.message_ids.filtered(lambda m: "was not checked with Chorus Pro" in (m.body or ""))
        self.assertEqual(len(notes), 1)
        self.assertIn("not held back", notes.body)

    def test_an_application_not_subscribed_to_the_api_sends_all_the_same(self):
        self.sandbox.control.unsubscribe("engagementsJuridiques")
        invoice = self._invoice(HOSPITAL_ENGAGEMENT)
        action = invoice.action_chorus_check_engagement()
        self.assertEqual(action["params"]["type"], "warning")
        self.assertIn("engagementsJuridiques API", action["params"]["message"])
        self.assertEqual(invoice.chorus_engagement_check, "unchecked")
        result = invoice.chorus_send()[invoice.id]
        self.assertEqual(result["result"], "sent", result["message"])
        # Noted once for the number, though asked twice.
        notes = invoice.message_ids.filtered(lambda m: "was not checked with Chorus Pro" in (m.body or ""))
        self.assertEqual(len(notes), 1)

    def test_the_button_says_what_chorus_pro_answered(self):
        invoice = self._invoice(HOSPITAL_ENGAGEMENT)
        action = invoice.action_chorus_check_engagement()
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(invoice.chorus_engagement_check, "known")
        invoice.button_draft()
        invoice.purchase_order_reference = "EJ-0000"
        action = invoice.action_chorus_check_engagement()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertEqual(invoice.chorus_engagement_check, "unknown")

    def test_only_where_the_buyer_requires_it_and_the_company_wants_it(self):
        # The sandbox's buyer 12345678200051 requires nothing: its engagement number is not asked about.
        service = self.env["chorus.service"].create({"partner_id": self.buyer.id, "code": "SERVICE_GENERAL"})
        invoice = self._chorus_invoice(chorus_service_id=service.id, purchase_order_reference="EJ-N-IMPORTE")
        self.assertEqual(invoice._chorus_preflight_problems(), [])
        self.company.chorus_check_engagement = False
        self.assertEqual(self._invoice("EJ-HOP-2026-0851")._chorus_preflight_problems(), [])
        self.assertEqual(self.api_calls(ENGAGEMENT_SEARCH), {})
