"""Search text that folds case and Vietnamese diacritics the same way on SQLite and PostgreSQL."""

import unicodedata


def normalise(text: str) -> str:
    """'Cơ sở ĐỨC Thành' -> 'co so duc thanh'."""
    text = (text or "").replace("đ", "d").replace("Đ", "D").casefold()
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.split())
