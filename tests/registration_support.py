"""Helpers for the registration tests: a filled public form, a clean cache (the rate limit counts
in it) and a private media folder. A submitted registration: `tests.builders.make_registration`."""

import pytest
from django.core.cache import cache
from django.test import Client

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504E470D0A1A0A0000000D49484452000000010000000108060000001F15C489")


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counters from one test must not leak into the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def form_data(**overrides):
    """What a member of the public types on /dang-ky/ (amounts in triệu)."""
    data = {
        "name": "Hợp tác xã Mây tre ĐỨC Thành",
        "legal_form": "cooperative",
        "tax_code": "2300999001",
        "province": "bac-ninh",
        "address": "Thôn Đông, xã Phù Lãng",
        "sector": "Mây tre đan",
        "employees": "25",
        "representative": "Nguyễn Văn Đức",
        "phone": "0912 345 678",
        "email": "htx.ducthanh@example.vn",
        "content": "3",
        "need": "Hỗ trợ máy chẻ nan tự động",
        "description": "HTX cần 2 máy chẻ nan để tăng năng suất, thay lao động thủ công.",
        "requested_support_vnd": "300",
        "counterpart_vnd": "450",
        "confirm": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
