"""Check that i18n/l10n_fr_chorus_pro.pot matches the strings Odoo exports and that fr.po translates them all.

Usage: check_translations.py EXPORTED_POT I18N_DIR [--update]
With --update, the exported template replaces the committed one and fr.po is merged with it
(new strings come untranslated, to be translated by hand).
"""

import shutil
import subprocess
import sys
from pathlib import Path

import polib

MODULE = "l10n_fr_chorus_pro"


def _ids(catalog):
    return {(entry.msgctxt, entry.msgid) for entry in catalog if not entry.obsolete}


def main(exported_path, i18n_dir, update=False):
    i18n = Path(i18n_dir)
    template, french = i18n / f"{MODULE}.pot", i18n / "fr.po"
    if update:
        shutil.copyfile(exported_path, template)
        if french.exists():
            subprocess.run(
                ["msgmerge", "--quiet", "--no-fuzzy-matching", "--update", "--backup=none", french, template],
                check=True,
            )
            subprocess.run(["msgattrib", "--no-obsolete", "-o", french, french], check=True)
        else:
            shutil.copyfile(template, french)
    exported = _ids(polib.pofile(exported_path))
    problems = []
    committed = _ids(polib.pofile(str(template))) if template.exists() else set()
    problems += [f"missing from {template.name}: {msgid!r}" for _ctx, msgid in sorted(exported - committed)]
    problems += [f"stale in {template.name}: {msgid!r}" for _ctx, msgid in sorted(committed - exported)]
    translated = {
        (entry.msgctxt, entry.msgid)
        for entry in (polib.pofile(str(french)) if french.exists() else [])
        if entry.msgstr and not entry.obsolete and "fuzzy" not in entry.flags
    }
    problems += [f"not translated in fr.po: {msgid!r}" for _ctx, msgid in sorted(exported - translated)]
    for problem in problems:
        print(problem)
    print(f"translations: {len(exported)} strings, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], update="--update" in sys.argv[3:]))
