"""Run by tools/demo.sh in `odoo shell` once the demo database is made, with the sandbox running.

1. FR Company on the sandbox actually started (its port may not be the demo data's 8089).
2. Four demo invoices sent, then moved along on the sandbox as their buyers would (paid, suspended,
   rejected, left unpaid), and the statuses brought back by the synchronisation, so that the
   follow-up has something to show at the first login. The others stay to be sent by the user.
"""

import os

import requests

from odoo.addons.l10n_fr_chorus_pro.chorus_core.sandbox import recipient

# `env` is given by odoo shell.
sandbox_url = os.environ["DEMO_SANDBOX_URL"]
company = env.ref("base.demo_company_fr")  # noqa: F821
company.write({"chorus_api_url": sandbox_url, "chorus_oauth_url": f"{sandbox_url}/api/oauth/token"})
env.cr.commit()  # noqa: F821
print(f"demo: {company.name} uses the sandbox at {sandbox_url}")


def demo_invoice(name):
    return env.ref(f"l10n_fr_chorus_pro.{name}").with_company(company)  # noqa: F821


paid, suspended, rejected, late = (
    demo_invoice(name)
    for name in ("demo_invoice_paid", "demo_invoice_suspended", "demo_invoice_rejected", "demo_invoice_late")
)
sent = paid | suspended | rejected | late
for invoice_id, result in sent.chorus_send().items():
    print(f"demo: invoice {invoice_id}: {result['result']} {result['message']}")
# The buyers' side: deposits processed at once rather than over a few reads.
requests.post(f"{sandbox_url}/sandbox/process", timeout=30).raise_for_status()
# Received in May 2026: unpaid since its due date in June, it shows what a late buyer owes.
late.chorus_flux_id.sudo().deposit_date = "2026-05-05"
moves = env["account.move"].with_company(company)  # noqa: F821
while moves._cron_chorus_sync():
    pass
for invoice, status, reason in (
    (paid, "MANDATEE", None),
    (paid, "MISE_EN_PAIEMENT", None),
    (suspended, "SUSPENDUE", "Bon de commande manquant : merci de joindre le bon de commande signé."),
    (rejected, "REJETEE", "Prestation non conforme au marché : le matériel livré n'est pas celui commandé."),
):
    recipient.set_status(sandbox_url, invoice.name, status, reason)
while moves._cron_chorus_sync():
    pass
env.cr.commit()  # noqa: F821
for invoice in sent:
    print(f"demo: {invoice.name} is {invoice.chorus_status} on Chorus Pro")
