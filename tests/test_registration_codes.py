"""Tracking codes are short, unambiguous and typed back forgivingly."""

from registrations.codes import ALPHABET, new_code, normalise_code, normalise_phone


def test_the_alphabet_has_no_lookalikes():
    assert not set("0O1IL") & set(ALPHABET)


def test_codes_look_like_kc_xxxx_xxxx_and_differ():
    codes = {new_code() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        prefix, a, b = code.split("-")
        assert prefix == "KC" and len(a) == len(b) == 4
        assert set(a + b) <= set(ALPHABET)


def test_a_code_typed_loosely_is_understood():
    assert normalise_code(" kc-7k3m 9qxa ") == "KC-7K3M-9QXA"
    assert normalise_code("7K3M9QXA") == "KC-7K3M-9QXA"


def test_a_code_with_impossible_characters_is_nothing():
    assert normalise_code("KC-0000-1111") == ""
    assert normalise_code("KC-7K3M") == ""


def test_phones_are_compared_as_digits_with_a_leading_zero():
    assert normalise_phone("+84 912.345.678") == "0912345678"
    assert normalise_phone("0912-345-678") == "0912345678"
