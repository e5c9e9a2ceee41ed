"""What applicants type, in one stored form: tracking codes, phone numbers (tax codes: facilities).

A tracking code looks like `KC-7K3M-9QXA`: eight characters from an alphabet without 0/O and
1/I/L, so nobody has to guess which one a printed code means; 31⁸ ≈ 850 billion codes, drawn
with `secrets`, so a code cannot be guessed from another one.
"""

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PREFIX = "KC"
LENGTH = 8


def new_code() -> str:
    """A fresh random code such as `KC-7K3M-9QXA` (uniqueness is the caller's check)."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{PREFIX}-{body[:4]}-{body[4:]}"


def normalise_code(text: str) -> str:
    """What a person typed (`kc 7k3m9qxa`, `7K3M-9QXA`) in the stored form; '' if it can't be."""
    compact = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    if compact.startswith(PREFIX) and len(compact) == LENGTH + len(PREFIX):
        compact = compact[len(PREFIX) :]
    if len(compact) != LENGTH or any(ch not in ALPHABET for ch in compact):
        return ""
    return f"{PREFIX}-{compact[:4]}-{compact[4:]}"


def normalise_phone(text: str) -> str:
    """'+84 912.345.678' -> '0912345678'; digits only, the country code written as a 0."""
    digits = "".join(ch for ch in (text or "") if ch.isdigit())
    if digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    return digits
