"""French company identifiers: SIREN (9 digits) and SIRET (14 digits)."""

# La Poste's establishments share SIREN 356000000; their SIRETs do not follow Luhn
# but the sum of their digits is a multiple of 5 (INSEE rule).
LA_POSTE_SIREN = "356000000"


def _luhn_ok(digits):
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalize(identifier):
    """Drop the spaces people type inside SIRETs ("123 456 789 00012")."""
    return "".join((identifier or "").split())


def is_valid_siren(siren):
    siren = normalize(siren)
    return len(siren) == 9 and siren.isdigit() and _luhn_ok(siren)


def is_valid_siret(siret):
    siret = normalize(siret)
    if len(siret) != 14 or not siret.isdigit():
        return False
    if siret.startswith(LA_POSTE_SIREN) and siret != LA_POSTE_SIREN + "00001":
        return sum(int(c) for c in siret) % 5 == 0
    return _luhn_ok(siret)
