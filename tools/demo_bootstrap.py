"""The demo's first life on the sandbox, run once by tools/demo_server.py after it installed the demo database.

1. FR Company is connected to the sandbox actually started: the custom environment (which this server's
   configuration allows, tools/demo_server.py), its URLs and the sandbox's credentials. The reports
   fetch their styles from the demo's own server, and the demo's user speaks DEMO_LANG when set.
2. Six demo invoices sent, then moved along on the sandbox as their buyers would (paid, suspended,
   rejected, left unpaid, paid late), a subcontractor's invoice validated by its main contractor
   first, and the statuses brought back by the synchronisation, so that the follow-up has something
   to show at the first login. The others stay to be sent by the user.
3. The late ones get fixed dates in the past: one still unpaid, and one paid late in April 2026
   whose interest and indemnity are past their 45 days, to claim (Invoicing > Chorus Pro > Interest
   to Claim).
"""

import requests

from odoo import fields

from odoo.addons.base.models.ir_cron import _intervalTypes
from odoo.addons.l10n_fr_chorus_pro.chorus_core.sandbox import fixtures, recipient, validator

BOOTSTRAPPED = "l10n_fr_chorus_pro.demo_bootstrapped"
DEMO_USER = "l10n_fr_chorus_pro.demo_user_chorus"
DEMO_INVOICES = (
    "demo_invoice_paid",
    "demo_invoice_suspended",
    "demo_invoice_rejected",
    "demo_invoice_late",
    "demo_invoice_paid_late",
    "demo_invoice_subcontractor",
)
# The validators' side, before the buyers': the main contractor validates its subcontractor's invoice.
VALIDATOR_ANSWERS = (("demo_invoice_subcontractor", "accept", None),)
BUYER_ANSWERS = (
    ("demo_invoice_paid", "MANDATEE", None),
    ("demo_invoice_paid", "MISE_EN_PAIEMENT", None),
    ("demo_invoice_paid_late", "MISE_EN_PAIEMENT", None),
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


# (invoice, deposit day, {status: day}): the days the sandbox's history is moved back to.
BACKDATED = (
    # Received in May 2026: unpaid since its due date in June, it shows what a late buyer owes.
    ("demo_invoice_late", "2026-05-05", {"MISE_A_DISPOSITION": "2026-05-05"}),
    # Received 3 Feb 2026 -> due 5 Mar 2026; paid 14 Apr 2026: 40 days at 10.15 % (H1 2026) on 4,200.00,
    # 46.72 + 40.00 indemnity, payable by 29 May 2026 (R2192-36) and not received: to claim.
    ("demo_invoice_paid_late", "2026-02-02", {"MISE_A_DISPOSITION": "2026-02-03", "MISE_EN_PAIEMENT": "2026-04-14"}),
)


def backdate(demo_invoice):
    """Move the deposits and history lines of the late demo invoices to fixed days of the past."""
    for name, deposited, days in BACKDATED:
        invoice = demo_invoice(name)
        invoice.chorus_flux_id.sudo().deposit_date = deposited
        for line in invoice.sudo().chorus_status_history_ids:
            if line.status in days:
                line.date = f"{days[line.status]} 08:00:00"
            elif line.date.date() > fields.Date.from_string(max(days.values())):
                # The statuses before it (Déposée, En cours d'acheminement) the same morning.
                line.date = f"{deposited} 07:00:00"
        if invoice.chorus_status_date and invoice.chorus_status in days:
            invoice.sudo().chorus_status_date = f"{days[invoice.chorus_status]} 08:00:00"


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
    # The demo's PISTE application is subscribed to the Engagements juridiques API too, as the README asks:
    # the engagement numbers are checked with the sandbox.
    subscriptions = {"groups": list(fixtures.API_GROUPS)}
    requests.post(f"{sandbox_url}/sandbox/subscriptions", json=subscriptions, timeout=30).raise_for_status()
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
    moves = env["account.move"].with_company(company)
    while moves._cron_chorus_sync():
        pass
    for name, decision, reason in VALIDATOR_ANSWERS:
        validator.decide(sandbox_url, demo_invoice(name).name, decision, reason)
    for name, status, reason in BUYER_ANSWERS:
        recipient.set_status(sandbox_url, demo_invoice(name).name, status, reason)
    while moves._cron_chorus_sync():
        pass
    backdate(demo_invoice)
    # As the accountant's "Check the engagement number with Chorus Pro" would: the swapped digits are found out.
    demo_invoice("demo_invoice_engagement_typo").action_chorus_check_engagement()
    env["ir.config_parameter"].set_param(BOOTSTRAPPED, "1")  # tools/demo.sh makes the database again without it
    env.cr.commit()
    for invoice in sent:
        print(f"demo: {invoice.name} is {invoice.chorus_status} on Chorus Pro", flush=True)
