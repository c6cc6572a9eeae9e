"""Run by tools/demo.sh in `odoo shell` once the demo database is made: the demo company on the sandbox
actually started (its port may not be the demo data's 8089)."""

import os

# `env` is given by odoo shell.
sandbox_url = os.environ["DEMO_SANDBOX_URL"]
company = env.ref("base.demo_company_fr")  # noqa: F821
company.write({"chorus_api_url": sandbox_url, "chorus_oauth_url": f"{sandbox_url}/api/oauth/token"})
env.cr.commit()  # noqa: F821
print(f"demo: {company.name} uses the sandbox at {sandbox_url}")
