"""``python3 -m chorus_core.sandbox --port 8089 [--state-file F] [--host 127.0.0.1]``: run in the foreground."""

import argparse
import logging
import sys

from .server import SandboxServer


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m chorus_core.sandbox", description="Local Chorus Pro sandbox")
    parser.add_argument("--port", type=int, default=8089, help="0 picks a free port")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (loopback by default)")
    parser.add_argument("--state-file", help="JSON file keeping the state across restarts")
    parser.add_argument(
        "--flux-mode",
        choices=("step", "immediate", "manual"),
        help="how fluxes advance",
    )
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO)
    sandbox = SandboxServer(port=args.port, host=args.host, state_file=args.state_file)
    if args.flux_mode:
        sandbox.control.configure(flux_mode=args.flux_mode)
    # Printed (and flushed) so scripts started with --port 0 can read the address.
    sys.stdout.write(f"Chorus Pro sandbox listening on {sandbox.base_url}\n")
    sys.stdout.flush()
    try:
        sandbox.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.httpd.server_close()


if __name__ == "__main__":
    main()
