"""The ECB main refinancing rate on the first day of each half-year, the base of late-payment interest."""

from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date

from ..chorus_core import late_payment


class ChorusEcbRate(models.Model):
    _name = "chorus.ecb.rate"
    _description = "ECB Main Refinancing Rate"
    _order = "half_year_start desc"
    _rec_name = "half_year_start"

    half_year_start = fields.Date(
        string="Half-Year Starting On",
        required=True,
        help="1 January or 1 July: the rate in force on that day applies to late-payment interest that "
        "started to run during the half-year (Code de la commande publique, R2192-31).",
    )
    rate = fields.Float(
        string="ECB Rate (%)",
        digits=(5, 2),
        required=True,
        help="The ECB main refinancing operations rate in force on the first day of the half-year, in percent.",
    )
    interest_rate = fields.Float(
        string="Late-Payment Interest Rate (%)",
        digits=(5, 2),
        compute="_compute_interest_rate",
        help="The ECB rate plus 8 percentage points.",
    )

    _sql_constraints = [
        ("half_year_start_uniq", "unique(half_year_start)", "The ECB rate of a half-year is entered once."),
    ]

    @api.depends("rate")
    def _compute_interest_rate(self):
        for record in self:
            record.interest_rate = record.rate + float(late_payment.RATE_MARGIN)

    @api.constrains("half_year_start")
    def _check_half_year_start(self):
        for record in self:
            if record.half_year_start != late_payment.half_year_start(record.half_year_start):
                raise ValidationError(
                    _(
                        "An ECB rate is entered for the first day of a half-year, 1 January or 1 July, not for "
                        "%(date)s.",
                        date=format_date(self.env, record.half_year_start),
                    )
                )

    @api.model
    def _chorus_rate_table(self):
        """``(half-year start, Decimal rate)`` pairs for ``late_payment``."""
        return [(record.half_year_start, Decimal(str(record.rate))) for record in self.sudo().search([])]

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env["account.move"]._chorus_refresh_late_payments()
        return records

    def write(self, vals):
        result = super().write(vals)
        self.env["account.move"]._chorus_refresh_late_payments()
        return result

    def unlink(self):
        result = super().unlink()
        self.env["account.move"]._chorus_refresh_late_payments()
        return result
