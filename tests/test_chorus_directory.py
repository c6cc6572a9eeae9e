from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.l10n_fr_chorus_pro.chorus_core.sandbox import fixtures

from .facturx_common import ChorusFacturxCommon
from .sandbox_common import ChorusSandboxCommon, attach_printed_facturx

TOULOUSE_SIRET = "21108638000105"
TOULOUSE_ENGAGEMENT = "EJ-26100007"
ANCIENVILLE_SIRET = "21128382000101"


@tagged("post_install", "-at_install")
class TestChorusDirectory(ChorusSandboxCommon, ChorusFacturxCommon):
    """Find on Chorus Pro: public structures searched by name, city or postcode on the sandbox over HTTP."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "Mairie de Toulouse", "is_company": True})

    def _find(self, partner=None, **words):
        action = (partner or self.customer).action_chorus_find_on_chorus()
        wizard = self.env["chorus.directory.wizard"].browse(action["res_id"])
        if words:
            wizard.write(words)
            wizard.action_search()
        return wizard

    def _sirets(self, wizard):
        return wizard.line_ids.mapped("siret")

    def test_many_structures_say_so_and_come_page_by_page(self):
        wizard = self._find(search_name="commune")
        self.assertEqual((wizard.total, wizard.page, wizard.page_count), (24, 1, 3))
        self.assertIn("24 public structures match", wizard.message)
        self.assertIn("add words", wizard.message)
        first = self._sirets(wizard)
        self.assertEqual(len(first), 10)
        wizard.action_next_page()
        second = self._sirets(wizard)
        wizard.action_next_page()
        self.assertEqual(wizard.page, 3)
        third = wizard.line_ids
        self.assertEqual(len(third), 4)
        # Active structures first: the closed one comes last and cannot be chosen.
        self.assertEqual(third.mapped("is_active"), [True, True, True, False])
        self.assertEqual(third[-1].siret, ANCIENVILLE_SIRET)
        with self.assertRaisesRegex(UserError, "closed on Chorus Pro"):
            third[-1].action_choose()
        self.assertEqual(len(set(first) | set(second) | set(third.mapped("siret"))), 24)
        wizard.action_previous_page()
        self.assertEqual((wizard.page, self._sirets(wizard)), (2, second))

    def test_one_structure_fills_the_customer_who_then_receives_an_invoice(self):
        wizard = self._find()
        self.assertEqual(wizard.search_name, "Mairie de Toulouse")
        wizard.write({"search_name": "commune", "search_city": "toul"})
        wizard.action_search()
        (line,) = wizard.line_ids
        self.assertFalse(wizard.message, "one answer needs no advice")
        self.assertEqual(
            (line.name, line.siret, line.zip, line.city, line.requirement),
            ("COMMUNE DE TOULOUSE", TOULOUSE_SIRET, "31000", "TOULOUSE", "engagement"),
        )
        self.assertEqual(line.action_choose(), {"type": "ir.actions.act_window_close"})
        customer = self.customer
        self.assertEqual((customer.name, customer.siret), ("COMMUNE DE TOULOUSE", TOULOUSE_SIRET))
        self.assertEqual((customer.street, customer.zip, customer.city), ("1 place de la Mairie", "31000", "TOULOUSE"))
        self.assertEqual(customer.country_id, self.env.ref("base.fr"))
        self.assertTrue(customer.chorus_is_public_buyer)
        # Then as "Update from Chorus Pro": the structure, its requirement and its services.
        self.assertEqual(
            (customer.chorus_structure_identifier, customer.chorus_requirement), ("26100007", "engagement")
        )
        self.assertTrue(customer.chorus_last_sync)
        self.assertEqual(customer.chorus_service_ids.filtered("active").mapped("code"), ["SERVICE_GENERAL"])

        self.sandbox.control.set_subscriptions(fixtures.API_GROUPS)
        invoice = self._chorus_invoice(
            partner=customer,
            chorus_service_id=customer.chorus_service_ids.filtered("active").id,
            purchase_order_reference=TOULOUSE_ENGAGEMENT,
        )
        attach_printed_facturx(invoice)
        result = invoice.chorus_send()[invoice.id]
        self.assertEqual(result["result"], "sent", result["message"])
        # Chorus Pro processes a deposit later (step mode, as the platform): then the buyer has it.
        self.sandbox.control.process()
        (received,) = self.sandbox.control.invoices()
        self.assertEqual((received["buyer_siret"], received["numeroFacture"]), (TOULOUSE_SIRET, invoice.name))

    def test_postcode_alone_and_no_answer(self):
        wizard = self._find(search_name=False, search_zip="69")
        self.assertEqual(wizard.line_ids.mapped("city"), ["LYON", "VILLEURBANNE", "VENISSIEUX", "BRON", "ANCIENVILLE"])
        self.assertFalse(wizard.message)
        wizard.write({"search_zip": False, "search_name": "mairie de nulle part"})
        wizard.action_search()
        self.assertFalse(wizard.line_ids)
        self.assertEqual(wizard.total, 0)
        self.assertIn("No public structure on Chorus Pro matches", wizard.message)
        wizard.write({"search_name": " "})
        with self.assertRaisesRegex(UserError, "Enter a name, a city or a postcode"):
            wizard.action_search()

    def test_from_an_invoice_whose_customer_is_not_yet_a_public_buyer(self):
        invoice = self._chorus_invoice(
            post=False, partner=self.customer, chorus_service_id=False, purchase_order_reference=False
        )
        self.assertFalse(invoice.chorus_is_public_buyer)
        action = invoice.action_chorus_find_buyer()
        wizard = self.env["chorus.directory.wizard"].browse(action["res_id"])
        self.assertEqual(wizard.partner_id, self.customer)
        wizard.write({"search_name": "toulouse"})
        wizard.action_search()
        wizard.line_ids.action_choose()
        # As the form does when the dialog closes: the invoice is read again.
        invoice.invalidate_recordset()
        self.assertTrue(invoice.chorus_is_public_buyer)
        self.assertIn("requires an engagement number", invoice.chorus_preflight_message)

    def test_a_new_customer_from_the_menu(self):
        wizard = self.env["chorus.directory.wizard"].create({"search_name": "poitiers"})
        wizard.action_search()
        action = wizard.line_ids.action_choose()
        partner = self.env["res.partner"].browse(action["res_id"])
        self.assertEqual((partner.name, partner.chorus_requirement), ("UNIVERSITE DE POITIERS", "service"))
        self.assertEqual(partner.company_id, self.env["res.company"], "a new buyer is shared, as partners are")

    def test_only_senders_search(self):
        clerk = new_test_user(
            self.env, login="directory_clerk", groups="account.group_account_invoice", company_id=self.company.id
        )
        with self.assertRaises(AccessError):
            self.customer.with_user(clerk).action_chorus_find_on_chorus()
        self.assertEqual(self.api_calls("structures/"), {})

    def test_chorus_pro_unreachable_is_said_in_plain_words(self):
        self.sandbox.control.set_fault(http_503=10)
        wizard = self._find()
        with self.assertRaisesRegex(UserError, "Chorus Pro"):
            wizard.action_search()
