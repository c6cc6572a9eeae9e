"""Marker for the texts the Odoo side translates; the pure core never translates anything itself.

Odoo's translation extractor scans every ``*.py`` file of the module, this package included, for
calls ``_("...")`` and ``_lt("...")`` with a literal string, and puts each literal into the
``.pot`` template. ``_lt`` here only marks a text for that extractor and returns it unchanged:
the core keeps the English template and its parameters apart (``findings.Finding``), and the
Odoo side translates when it shows them (``env._(finding.template, **finding.params)``).

So a marked text must be one literal string with named placeholders (``%(number)s``): no
f-string, no concatenation, no ``%`` applied inside the call.
"""


def _lt(text):
    return text
