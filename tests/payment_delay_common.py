"""Invoices deposited on Chorus Pro on a chosen day, for the payment delay and dashboard tests."""

import datetime

from odoo import Command
from odoo.tests import new_test_user

from ..chorus_core import flux_states, late_payment
from .common import ChorusCommon


class ChorusPaymentDelayCommon(ChorusCommon):
    """Public buyers of each kind, and invoices deposited on a chosen day with the status the sync would set."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.buyers = {
            kind: cls.env["res.partner"].create(
                {
                    "name": f"Acheteur {kind}",
                    "is_company": True,
                    "chorus_is_public_buyer": True,
                    "chorus_buyer_kind": kind,
                }
            )
            for kind in late_payment.BUYER_KINDS
        }
        cls.deposits = 0
        cls.sender = new_test_user(
            cls.env,
            login="chorus_delay_sender",
            groups="l10n_fr_chorus_pro.group_chorus_sender",
            company_id=cls.company.id,
        )
        cls.manager = new_test_user(
            cls.env,
            login="chorus_delay_manager",
            groups="l10n_fr_chorus_pro.group_chorus_manager",
            company_id=cls.company.id,
        )

    @classmethod
    def sent_invoice(cls, buyer, amount, deposited, **values):
        """A posted invoice of ``amount`` (no VAT, so it is the amount incl. VAT) deposited on ``deposited``."""
        values.setdefault("chorus_service_id", False)
        invoice = cls._chorus_invoice(
            partner=buyer,
            invoice_line_ids=[
                Command.create({"name": "Prestation", "price_unit": amount, "tax_ids": [Command.clear()]})
            ],
            **values,
        )
        cls.deposits += 1
        flux = cls.env["chorus.flux"].create(
            {
                "name": f"CPP0019999{cls.deposits:05d}",
                "deposit_date": deposited,
                "state": flux_states.INTEGRATED,
                "move_ids": [Command.link(invoice.id)],
            }
        )
        invoice.write({"chorus_flux_id": flux.id, "chorus_send_state": "sent"})
        return invoice

    @staticmethod
    def set_status(invoice, status, when):
        """The status as the sync records it: current status, its date (UTC) and a history line."""
        invoice.write(
            {
                "chorus_status": status,
                "chorus_status_date": when,
                "chorus_status_history_ids": [Command.create({"status": status, "date": when})],
            }
        )

    @classmethod
    def set_history(cls, invoice, *lines):
        """Statuses in the order Chorus Pro reported them, each ``(status, day)`` at 10:00 in Paris (08:00 UTC)."""
        for status, day in lines:
            cls.set_status(invoice, status, datetime.datetime.combine(day, datetime.time(8, 0)))

    @classmethod
    def pay(cls, invoice, amount, day):
        """A payment of ``amount`` on ``day`` registered against ``invoice``, as an accountant does."""
        wizard = (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"amount": amount, "payment_date": day})
        )
        return wizard._create_payments()
