"""Find on Chorus Pro: the public structures whose name, city or postcode match, page by page.

Choosing one fills the customer (name, SIRET, address) and then reads its requirements and services
exactly as "Update from Chorus Pro" does. Only senders use it: it calls Chorus Pro with the company's
credentials.
"""

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..chorus_core.client import DIRECTORY_PAGE_SIZE
from ..chorus_core.errors import ChorusError
from ..models.account_move_chorus_send import CHORUS_SEND_CLIENT_OPTIONS, SENDER_GROUP
from ..models.res_partner import CHORUS_REQUIREMENTS


class ChorusDirectoryWizard(models.TransientModel):
    _name = "chorus.directory.wizard"
    _description = "Find on Chorus Pro"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", readonly=True, help="The customer to fill; empty: a new customer is made."
    )
    search_name = fields.Char(
        string="Name", help="A word of the structure's name, e.g. 'commune lyon' or 'hospitalier'."
    )
    search_city = fields.Char(string="City")
    search_zip = fields.Char(string="Postcode", help="The postcode or its first digits (the department).")
    page = fields.Integer(default=1, readonly=True)
    page_count = fields.Integer(string="Pages", readonly=True)
    total = fields.Integer(string="Structures Found", readonly=True)
    message = fields.Text(readonly=True)
    line_ids = fields.One2many("chorus.directory.wizard.line", "wizard_id", string="Public Structures", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        self._chorus_check_sender()
        partners = self.env["res.partner"].browse([vals["partner_id"] for vals in vals_list if vals.get("partner_id")])
        partners.check_access("write")
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("partner_id"):
            self.env["res.partner"].browse(vals["partner_id"]).check_access("write")
        return super().write(vals)

    @api.model
    def _chorus_check_sender(self):
        if not self.env.su and not self.env.user.has_group(SENDER_GROUP):
            raise AccessError(_("Only Chorus Pro senders can search Chorus Pro's public structures."))

    def action_search(self):
        return self._chorus_show_page(1)

    def action_next_page(self):
        return self._chorus_show_page(self.page + 1)

    def action_previous_page(self):
        return self._chorus_show_page(self.page - 1)

    def _chorus_show_page(self, page):
        self.ensure_one()
        self._chorus_check_sender()
        words = (self.search_name or "").strip(), (self.search_city or "").strip(), (self.search_zip or "").strip()
        if not any(words):
            raise UserError(_("Enter a name, a city or a postcode to search Chorus Pro's public structures."))
        company = self.env.company
        try:
            with company._chorus_client(**CHORUS_SEND_CLIENT_OPTIONS) as client:
                found = client.search_public_structures(*words, page=max(page, 1))
        except ChorusError as error:
            raise UserError(company._chorus_error_message(error)) from error
        self.sudo().write(
            {
                "page": found["page"],
                "page_count": found["pages"],
                "total": found["total"],
                "message": self._chorus_found_message(found["total"], found["pages"]),
                "line_ids": [Command.clear()]
                + [Command.create(self._chorus_line(item)) for item in found["structures"]],
            }
        )
        return self._chorus_open()

    def _chorus_found_message(self, total, pages):
        if not total:
            return _(
                "No public structure on Chorus Pro matches these words: check their spelling, or search with fewer "
                "words (one word of the name, or the postcode alone)."
            )
        if total > DIRECTORY_PAGE_SIZE:
            return _(
                "%(total)s public structures match, on %(pages)s pages: add words to the name, or a city or a "
                "postcode, to find yours faster.",
                total=total,
                pages=pages,
            )
        return False

    @api.model
    def _chorus_line(self, item):
        return {
            "structure_identifier": str(item["structure_id"]),
            "siret": item["siret"],
            "name": item["name"],
            "street": item["street"],
            "street2": item["street2"],
            "zip": item["zip"],
            "city": item["city"],
            "country_code": item["country"],
            "is_active": item["active"],
            "requirement": item["requirement"],
        }

    def _chorus_open(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Find on Chorus Pro"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }


class ChorusDirectoryWizardLine(models.TransientModel):
    _name = "chorus.directory.wizard.line"
    _description = "Public Structure on Chorus Pro"

    wizard_id = fields.Many2one("chorus.directory.wizard", required=True, ondelete="cascade")
    structure_identifier = fields.Char(string="Chorus Structure ID", readonly=True)
    siret = fields.Char(string="SIRET", readonly=True)
    name = fields.Char(readonly=True)
    street = fields.Char(readonly=True)
    street2 = fields.Char(readonly=True)
    zip = fields.Char(string="Postcode", readonly=True)
    city = fields.Char(readonly=True)
    country_code = fields.Char(readonly=True)
    is_active = fields.Boolean(
        string="Active", readonly=True, help="Inactive structures are closed: they cannot receive invoices."
    )
    requirement = fields.Selection(CHORUS_REQUIREMENTS, string="Required on Invoices", readonly=True)

    def action_choose(self):
        """Fill the wizard's customer (or a new one) with this structure, then update it from Chorus Pro."""
        self.ensure_one()
        wizard = self.wizard_id
        wizard._chorus_check_sender()
        if not self.is_active:
            raise UserError(
                _(
                    "%(name)s is closed on Chorus Pro and cannot receive invoices: choose an active structure.",
                    name=self.name,
                )
            )
        values = {
            "name": self.name,
            "is_company": True,
            "chorus_is_public_buyer": True,
            "siret": self.siret,
            "street": self.street,
            "street2": self.street2,
            "zip": self.zip,
            "city": self.city,
            "country_id": self.env["res.country"].search([("code", "=", self.country_code or "FR")], limit=1).id,
        }
        partner = wizard.partner_id
        if partner:
            partner.write(values)
        else:
            partner = self.env["res.partner"].create(values)
        partner.action_chorus_update_from_chorus()
        if wizard.partner_id:
            return {"type": "ir.actions.act_window_close"}
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": partner.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
