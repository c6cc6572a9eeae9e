"""The demo's Odoo (tools/demo.sh): Odoo's own server command, which also runs the demo's bootstrap.

On a fresh database demo.sh passes ``-i l10n_fr_chorus_pro`` and DEMO_BOOTSTRAP=1. The server installs the
module with its demo data. Then, already serving, it runs tools/demo_bootstrap.py in the same process
(the reports it prints fetch their styles from this server), and only then prints the demo's URL.
One process loads the registry once; the install, ``odoo shell`` and the server used to load it three times.

Environment: DEMO_ODOO_URL and DEMO_SANDBOX_URL (the demo's addresses), DEMO_BOOTSTRAP (set: run the bootstrap),
DEMO_LANG (the demo user's language, loaded by the install).
The arguments are Odoo's server options; the server allows the custom Chorus Pro environment (the sandbox), as
``chorus_pro_allow_custom_environment = True`` in odoo.conf would.
"""

import os
import signal
import sys
import threading

import odoo
from odoo.cli.server import main as odoo_server
from odoo.modules.registry import Registry
from odoo.service import server

# res_company.ALLOW_CUSTOM_OPTION (importing the module here would import Odoo's addons before its setup).
ALLOW_CUSTOM_OPTION = "chorus_pro_allow_custom_environment"
ODOO_URL = os.environ["DEMO_ODOO_URL"]
SANDBOX_URL = os.environ["DEMO_SANDBOX_URL"]
# The Python that runs the demo (.venv/bin/python where make demo prepared it) has what the buyer's commands need.
PYTHON = os.path.relpath(sys.executable) if sys.executable.startswith(os.getcwd()) else "python3"
BANNER = f"""\
=====================================================================
 Chorus Pro demo: {ODOO_URL}/odoo/chorus-pro
 Login: chorus   Password: chorus   (company "FR Company")
 Play the buyer: {PYTHON} -m chorus_core.sandbox.recipient --help (README, "Playing the buyer").
 Ctrl-C stops Odoo and the sandbox.
====================================================================="""

failed = threading.Event()


def environment(cr):
    return odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})


def bootstrap(db):
    import demo_bootstrap  # noqa: PLC0415 (it imports the module, on the addons path once Odoo is set up)

    threading.current_thread().dbname = db
    try:
        with Registry(db).cursor() as cr:
            demo_bootstrap.bootstrap(environment(cr), SANDBOX_URL, ODOO_URL, os.environ.get("DEMO_LANG"))
    except Exception as error:  # any failure stops the demo, with its reason
        print(f"demo: the bootstrap FAILED: {error!r} (the server log says more)", flush=True)
        failed.set()
        os.kill(os.getpid(), signal.SIGTERM)
        return
    print(BANNER, flush=True)


def preload_then_bootstrap(preload):
    """Odoo's preload (the install, on a fresh database), then the bootstrap beside the server."""

    def preload_registries(dbnames):
        # Before the install: the bootstrap connects the demo company to the local sandbox.
        odoo.tools.config[ALLOW_CUSTOM_OPTION] = True
        rc = preload(dbnames)
        if rc:
            print("demo: Odoo could not install or load the database (the server log says why)", flush=True)
            sys.exit(1)
        [db] = dbnames
        if os.environ.get("DEMO_BOOTSTRAP"):
            import demo_bootstrap  # noqa: PLC0415

            # Before the server starts its scheduled jobs, which would otherwise sync beside the bootstrap.
            with Registry(db).cursor() as cr:
                demo_bootstrap.postpone_scheduled_sync(environment(cr))
            # A thread: the reports need the server to answer, and it does not while this holds the registries.
            threading.Thread(target=bootstrap, args=(db,), name="demo.bootstrap", daemon=True).start()
        else:
            print(BANNER, flush=True)
        return rc

    return preload_registries


def main():
    server.preload_registries = preload_then_bootstrap(server.preload_registries)
    try:
        odoo_server(sys.argv[1:])
    except SystemExit as stopped:
        sys.exit(1 if failed.is_set() else stopped.code)


if __name__ == "__main__":
    main()
