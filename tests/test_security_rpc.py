"""Who can do what, tried over JSON-RPC against the running test server, as an attacker would.

Company A (the test company) talks to the sandbox: it has a deposit, a suspended invoice, an invoice to
recycle and a buyer's reason in a history. Company B has its own Chorus Pro credentials and five users:
a portal user, an internal user without accounting rights, a billing user, a Chorus Pro sender, and an
"Access Rights" manager who is not a system administrator (who also works in A). Each tries to read and
change A's settings, deposits, histories and wizards, and to send, complete, re-route, refresh or check
A's invoices: every attempt is refused (AccessError) or sees nothing, and neither A's records nor the
sandbox (no call at all, not even a token) change.
"""

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .sandbox_common import ChorusSandboxCommon, attach_printed_facturx

ACCESS_ERROR = "odoo.exceptions.AccessError"
A_SETTINGS = (
    "chorus_environment",
    "chorus_api_url",
    "chorus_oauth_url",
    "chorus_client_id",
    "chorus_client_secret",
    "chorus_login",
    "chorus_password",
)
A_REASON = "Bon de commande manquant (motif de l'acheteur de A)"
STOLEN = {
    "chorus_environment": "custom",
    "chorus_api_url": "http://127.0.0.1:9/steal",
    "chorus_oauth_url": "http://127.0.0.1:9/steal/token",
}
MOVE_FIELDS = ["chorus_send_state", "chorus_status", "buyer_reference", "purchase_order_reference", "chorus_flux_id"]


@tagged("post_install", "-at_install")
class TestChorusSecurityRpc(ChorusSandboxCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.service_general = cls.env["chorus.service"].create(
            {"partner_id": cls.buyer.id, "code": "SERVICE_GENERAL", "name": "Service général"}
        )
        cls.company_b = cls.env["res.company"].create({"name": "Chorus B", "country_id": cls.env.ref("base.fr").id})
        cls.company_b.sudo().write(
            {
                "chorus_client_id": "b-piste-id",
                "chorus_client_secret": "b-piste-secret",
                "chorus_login": "TECH_1_B@cpro.fr",
                "chorus_password": "b-tech-password",
            }
        )
        b = cls.company_b.id

        def user(login, groups, **values):
            return new_test_user(cls.env, login=login, password=f"{login}-pwd", groups=groups, company_id=b, **values)

        cls.attackers = {
            "portal": user("b_portal", "base.group_portal"),
            "internal": user("b_internal", "base.group_user"),
            "billing": user("b_billing", "base.group_user,account.group_account_invoice"),
            "sender": user("b_sender", "base.group_user,l10n_fr_chorus_pro.group_chorus_sender"),
            # Works in both companies: "Access Rights" lets it write companies, not the Chorus Pro settings.
            "access_rights": user(
                "b_access_rights",
                "base.group_user,base.group_erp_manager",
                company_ids=[Command.set([b, cls.company.id])],
            ),
        }
        cls.a_sender = new_test_user(
            cls.env,
            login="a_sender",
            password="a_sender-pwd",
            groups="base.group_user,l10n_fr_chorus_pro.group_chorus_sender",
            company_id=cls.company.id,
        )

    def setUp(self):
        super().setUp()
        self.sandbox.control.configure(flux_mode="immediate")
        self.sent = self._chorus_invoice(chorus_service_id=self.service_general.id)
        attach_printed_facturx(self.sent)
        self.assertEqual(self.sent.chorus_send()[self.sent.id]["result"], "sent")
        self.ready = self._chorus_invoice(chorus_service_id=self.service_general.id)
        self.suspended = self._on_chorus("SUSPENDUE", A_REASON)
        self.to_recycle = self._on_chorus("A_RECYCLER", "Mauvais service")
        self.history = self.env["chorus.status.history"].create(
            {"move_id": self.suspended.id, "status": "SUSPENDUE", "date": "2026-11-20 09:00:00", "comment": A_REASON}
        )
        self.invoices = self.sent | self.ready | self.suspended | self.to_recycle
        self.before = self._company_a()
        self.sandbox.control.reset_stats()

    def _on_chorus(self, status, motif):
        invoice = self._chorus_invoice(chorus_service_id=self.service_general.id)
        seeded = self.sandbox.control.seed_invoices(1, status, motif=motif, service="SERVICE_GENERAL")
        invoice.write(
            {
                "chorus_identifier": str(seeded["identifiantsFactureCPP"][0]),
                "chorus_status": status,
                "chorus_status_reason": motif,
            }
        )
        return invoice

    def _company_a(self):
        """Company A as the attackers could change it: its settings, records and what the sandbox holds."""
        self.env.invalidate_all()
        company = self.company.sudo()
        fluxes = self.env["chorus.flux"].sudo().search([("company_id", "=", self.company.id)])
        histories = self.env["chorus.status.history"].sudo().search([("company_id", "=", self.company.id)])
        return {
            "settings": {name: company[name] for name in A_SETTINGS},
            "fluxes": fluxes.read(["name", "state", "move_ids"]),
            "histories": histories.read(["move_id", "status", "comment"]),
            "invoices": self.invoices.read(MOVE_FIELDS),
            "sandbox_fluxes": self.sandbox.control.fluxes(),
            "sandbox_invoices": self.sandbox.control.invoices(),
        }

    # -- JSON-RPC -----------------------------------------------------------------------------

    def _call(self, model, method, *args, **kwargs):
        params = {"model": model, "method": method, "args": list(args), "kwargs": kwargs}
        return self.make_jsonrpc_request("/web/dataset/call_kw", params)

    def assertRefused(self, model, method, *args, **kwargs):
        with self.assertRaises(JsonRpcException, msg=f"{model}.{method}{args}") as caught:
            self._call(model, method, *args, **kwargs)
        self.assertEqual(caught.exception.args[0] if caught.exception.args else "", ACCESS_ERROR, f"{model}.{method}")

    def assertSeesNothingOf(self, model, records, fields):
        """search_read is refused or finds none of ``records``; reading them by id is refused."""
        try:
            found = self._call(model, "search_read", [], fields=fields)
        except JsonRpcException as error:
            self.assertEqual(error.args[0], ACCESS_ERROR, model)
        else:
            self.assertFalse({row["id"] for row in found} & set(records.ids), model)
        self.assertRefused(model, "read", records.ids, fields)

    def _attempts(self):
        """Every attempt on company A, as the user logged in; each must be refused or see nothing."""
        a, invoices = self.company.id, self.invoices
        for field in A_SETTINGS:
            self.assertRefused("res.company", "read", [a], [field])
        self.assertRefused("res.company", "write", [a], STOLEN)
        self.assertRefused("res.company", "write", [a], {"chorus_client_secret": "stolen"})
        self.assertRefused("res.config.settings", "create", {**STOLEN, "company_id": a})
        self.assertSeesNothingOf("chorus.flux", self.sent.chorus_flux_ids, ["name", "state", "move_ids"])
        self.assertSeesNothingOf("chorus.status.history", self.history, ["comment", "move_id"])
        # Wizards would show the invoice's customer, amount and the buyer's reason.
        for values in ({"move_id": self.suspended.id}, {"move_id": self.suspended.id, "company_id": a}):
            self.assertRefused("chorus.complete.wizard", "create", values)
        self.assertRefused("chorus.recycle.wizard", "create", {"move_id": self.to_recycle.id, "company_id": a})
        self.assertRefused("chorus.send.wizard", "create", {"move_ids": [Command.set(invoices.ids)]})
        self.assertRefused(
            "chorus.send.wizard", "create", {"move_ids": [Command.set(invoices.ids)], "company_ids": [Command.set([a])]}
        )
        self.assertRefused("chorus.send.wizard.line", "create", {"move_id": self.ready.id, "status": "ready"})
        # Sending, answering, refreshing, checking.
        self.assertRefused("account.move", "chorus_send", self.ready.ids)
        self.assertRefused("account.move", "chorus_send", self.ready.ids, context={"allowed_company_ids": [a]})
        self.assertRefused("account.move", "action_chorus_send", self.ready.ids)
        self.assertRefused("account.move", "chorus_preflight", self.ready.ids)
        self.assertRefused("account.move", "chorus_complete", self.suspended.ids, "Voici le bon de commande")
        self.assertRefused("account.move", "action_chorus_complete", self.suspended.ids)
        self.assertRefused("account.move", "chorus_recycle", self.to_recycle.ids, purchase_order_reference="EJ-9")
        self.assertRefused("account.move", "action_chorus_recycle", self.to_recycle.ids)
        self.assertRefused("account.move", "action_chorus_refresh_status", self.sent.ids)
        self.assertRefused("account.move", "action_chorus_deposit_again", self.sent.ids)
        self.assertRefused("account.move", "action_chorus_correct_validator", self.sent.ids)
        self.assertRefused("account.move", "chorus_facturx_xml", self.ready.ids)
        self.assertRefused("chorus.flux", "action_chorus_refresh", self.sent.chorus_flux_ids.ids)

    def _assert_company_a_unchanged(self):
        self.assertEqual(self._company_a(), self.before)
        self.assertEqual(self.api_calls(), {}, "a call reached the sandbox")

    # -- the tests ------------------------------------------------------------------------------

    def test_company_b_users_and_an_access_rights_manager_get_nothing_of_company_a(self):
        for role, user in self.attackers.items():
            with self.subTest(role=role):
                self.authenticate(user.login, f"{user.login}-pwd")
                with mute_logger("odoo.http"):
                    self._attempts()
        self._assert_company_a_unchanged()

    def test_the_settings_fields_are_system_administrators_only(self):
        for model in ("res.company", "res.config.settings"):
            fields = self.env[model].fields_get(list(A_SETTINGS), ["groups"])
            for name in A_SETTINGS:
                self.assertEqual(fields[name].get("groups"), "base.group_system", f"{model}.{name}")

    def test_a_sender_of_company_a_may_do_it_all(self):
        """The same calls by a sender of A are accepted: the refusals above are about the company."""
        self.authenticate("a_sender", "a_sender-pwd")
        [history] = self._call("chorus.status.history", "read", self.history.ids, ["comment"])
        self.assertEqual(history["comment"], A_REASON)
        self.assertEqual(self._call("account.move", "chorus_preflight", self.ready.ids), [])
        action = self._call("account.move", "action_chorus_complete", self.suspended.ids)
        [wizard] = self._call("chorus.complete.wizard", "read", [action["res_id"]], ["suspension_reason"])
        self.assertEqual(wizard["suspension_reason"], A_REASON)
        # The sender may not read the settings either.
        self.assertRefused("res.company", "read", [self.company.id], ["chorus_api_url"])
