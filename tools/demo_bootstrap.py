"""The demo's first life on the sandbox, run once by tools/demo_server.py after it installed the demo database.

1. FR Company is connected to the sandbox actually started: the custom environment (which this server's
   configuration allows, tools/demo_server.py), its URLs and the sandbox's credentials. The reports
   fetch their styles from the demo's own server, and the demo's user speaks DEMO_LANG when set.
2. Four demo invoices sent, then moved along on the sandbox as their buyers would (paid, suspended,
   rejected, left unpaid), and the statuses brought back by the synchronisation, so that the
   follow-up has something to show at the first login. The others stay to be sent by the user.
"""

import requests

from odoo import fields

from odoo.addons.base.models.ir_cron import _intervalTypes
from odoo.addons.l10n_fr_chorus_pro.chorus_core.sandbox import fixtures, recipient

BOOTSTRAPPED = "l10n_fr_chorus_pro.demo_bootstrapped"
DEMO_USER = "l10n_fr_chorus_pro.demo_user_chorus"
DEMO_INVOICES = ("demo_invoice_paid", "demo_invoice_suspended", "demo_invoice_rejected", "demo_invoice_late")
BUYER_ANSWERS = (
    ("demo_invoice_paid", "MANDATEE", None),
    ("demo_invoice_paid", "MISE_EN_PAIEMENT", None),
    ("demo_invoice_suspended", "SUSPENDUE", "Bon de commande manquant : merci de joindre le bon de commande signé."),
    (
        "demo_invoice_rejected",
        "REJETEE",
        "Prestation non conforme au marché : le matériel livré n'est pas celui commandé.",
    ),
)


def postpone_scheduled_sync(env):
    """The bootstrap syncs by itself: the scheduled sync starts its 30 minutes after it, not beside it."""
    cron = env.ref("l10n_fr_chorus_pro.ir_cron_chorus_sync")
    cron.nextcall = fields.Datetime.now() + _intervalTypes[cron.interval_type](cron.interval_number)


def bootstrap(env, sandbox_url, odoo_url, lang=None):
    env["ir.config_parameter"].set_param("web.base.url", odoo_url)
    if lang:
        env.ref(DEMO_USER).lang = lang
    company = env.ref("base.demo_company_fr")
    company.write(
        {
            "chorus_environment": "custom",
            "chorus_api_url": sandbox_url,
            "chorus_oauth_url": f"{sandbox_url}/api/oauth/token",
            "chorus_client_id": fixtures.CLIENT_ID,
            "chorus_client_secret": fixtures.CLIENT_SECRET,
            "chorus_login": fixtures.TECH_LOGIN,
            "chorus_password": fixtures.TECH_PASSWORD,
        }
    )
    env.cr.commit()
    print(f"demo: {company.name} uses the sandbox at {sandbox_url}", flush=True)

    def demo_invoice(name):
        return env.ref(f"l10n_fr_chorus_pro.{name}").with_company(company)

    sent = env["account.move"].with_company(company).browse()
    for name in DEMO_INVOICES:
        sent |= demo_invoice(name)
    for invoice_id, result in sent.chorus_send().items():
        print(f"demo: invoice {invoice_id}: {result['result']} {result['message']}", flush=True)
    # The buyers' side: deposits processed at once rather than over a few reads.
    requests.post(f"{sandbox_url}/sandbox/process", timeout=30).raise_for_status()
    # Received in May 2026: unpaid since its due date in June, it shows what a late buyer owes.
    demo_invoice("demo_invoice_late").chorus_flux_id.sudo().deposit_date = "2026-05-05"
    moves = env["account.move"].with_company(company)
    while moves._cron_chorus_sync():
        pass
    for name, status, reason in BUYER_ANSWERS:
        recipient.set_status(sandbox_url, demo_invoice(name).name, status, reason)
    while moves._cron_chorus_sync():
        pass
    env["ir.config_parameter"].set_param(BOOTSTRAPPED, "1")  # tools/demo.sh makes the database again without it
    env.cr.commit()
    for invoice in sent:
        print(f"demo: {invoice.name} is {invoice.chorus_status} on Chorus Pro", flush=True)
