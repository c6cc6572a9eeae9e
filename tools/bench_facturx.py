#!/usr/bin/env python3
"""make bench: run the chorus_bench Odoo test through the usual runner and print its table.

The runner installs the add-on in a throw-away database made from the cached dependencies'
template, exactly as for the test suite; the bench test writes its table to a file we print.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

RUNNER = Path(__file__).resolve().parent / "run_odoo_tests.sh"


def main():
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "bench.txt"
        env = {**os.environ, "CHORUS_TEST_TAGS": "chorus_bench", "CHORUS_BENCH_REPORT": str(report)}
        returncode = subprocess.run([str(RUNNER)], env=env, check=False).returncode
        if report.exists():
            print(report.read_text(encoding="utf-8"), end="")
        elif returncode == 0:
            print("bench: no report written (is Odoo importable?)")
    return returncode


if __name__ == "__main__":
    sys.exit(main())
