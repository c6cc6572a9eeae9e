"""A batch of printed invoices in one wkhtmltopdf run when the binary prints one HTML document per run.

Asked for by Send & Print's rendering of Chorus invoices (``account_move_send.py``) through the
context key ``ONE_DOCUMENT_BATCH``; every other report is left to Odoo. See
``chorus_core.report_batch`` for why one document and when its PDF can be split.
"""

from odoo import models

from ..chorus_core import report_batch

ONE_DOCUMENT_BATCH = "chorus_one_document_batch"


class ReportBatchNotSplittable(Exception):
    """The batch printed as one document cannot be cut into its records: print them one by one."""


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _run_wkhtmltopdf(
        self,
        bodies,
        report_ref=False,
        header=None,
        footer=None,
        landscape=False,
        specific_paperformat_args=None,
        set_viewport_size=False,
    ):
        options = {
            "report_ref": report_ref,
            "header": header,
            "footer": footer,
            "landscape": landscape,
            "specific_paperformat_args": specific_paperformat_args,
            "set_viewport_size": set_viewport_size,
        }
        if not self.env.context.get(ONE_DOCUMENT_BATCH) or len(bodies) < 2:
            return super()._run_wkhtmltopdf(bodies, **options)
        document = report_batch.merge_documents(bodies)
        if document is None:
            raise ReportBatchNotSplittable()
        pdf = super()._run_wkhtmltopdf([document], **options)
        # As many pages as records: one record per page, which Odoo splits by page count.
        if report_batch.page_count(pdf) != len(bodies):
            raise ReportBatchNotSplittable()
        return pdf
