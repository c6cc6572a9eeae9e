"""Building and XSD-checking a 500-line invoice stays in the tens of milliseconds."""

import time
from decimal import Decimal

from chorus_core.facturx import samples
from chorus_core.facturx.cii import build_cii
from chorus_core.facturx.validate import validate_xsd

LINES = 500
# Measured around 30 ms on the development machine; the bound leaves room for slow CI runners.
BUDGET_SECONDS = 0.5


def test_500_lines_build_and_xsd():
    invoice = samples.invoice(
        lines=[samples.line(index, "2.5", f"{index}.10", discount_percent=Decimal(5)) for index in range(1, LINES + 1)]
    )
    validate_xsd(build_cii(samples.invoice())[0])  # load the schema outside the measure
    timings = []
    for _attempt in range(3):
        start = time.perf_counter()
        xml, _findings = build_cii(invoice)
        built = time.perf_counter()
        assert not validate_xsd(xml)
        timings.append((built - start, time.perf_counter() - built))
    build_seconds, xsd_seconds = min(timings, key=sum)
    print(f"{LINES} lines: build {build_seconds * 1000:.1f} ms, XSD {xsd_seconds * 1000:.1f} ms")
    assert build_seconds + xsd_seconds < BUDGET_SECONDS
