import pytest

from chorus_core import limits, siret


@pytest.mark.parametrize("value", ["12345678200051", "11000201100044", "21440109300015", " 2144 0109 300 015 "])
def test_valid_sirets_are_accepted(value):
    assert siret.is_valid_siret(value)


@pytest.mark.parametrize("value", ["12345678200052", "123456782", "1234567820005A", "", None, "123456782000511"])
def test_bad_sirets_are_refused(value):
    assert not siret.is_valid_siret(value)


def test_siren_is_not_a_siret():
    assert siret.is_valid_siren("732829320")
    assert not siret.is_valid_siret("732829320")


@pytest.mark.parametrize(
    "number, problem",
    [
        ("FAC/2026/00001", None),
        ("A-B_C+D", None),
        ("X" * 21, "too_long"),
        ("FAC 2026", "bad_characters"),
        ("FAC#1", "bad_characters"),
        ("FACTÉ", "bad_characters"),
    ],
)
def test_invoice_number_rules(number, problem):
    assert limits.invoice_number_problem(number) == problem


def test_attachment_problems_name_each_file():
    problems = limits.attachment_problems(
        [
            ("ok.pdf", 100),
            ("empty.pdf", 0),
            ("big.pdf", limits.ATTACHMENT_MAX_BYTES),
            ("n" * 47 + ".pdf", 10),
            ("script.exe", 10),
            ("noextension", 10),
        ]
    )
    assert ("empty", "empty.pdf") in problems
    assert ("too_big", "big.pdf") in problems
    assert ("name_too_long", "n" * 47 + ".pdf") in problems
    assert ("bad_extension", "script.exe") in problems
    assert ("bad_extension", "noextension") in problems
    assert not [p for p in problems if p[1] == "ok.pdf"]


def test_attachments_total_limit():
    nine_mb = 9 * 1024 * 1024
    assert ("total_too_big", None) in limits.attachment_problems([(f"f{i}.pdf", nine_mb) for i in range(14)])
    assert limits.attachment_problems([(f"f{i}.pdf", nine_mb) for i in range(13)]) == []
