from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from khuyencong.money import (
    format_dong,
    format_leverage,
    format_percent,
    format_trieu,
    leverage,
    parse_money,
    ratio,
)


@pytest.mark.parametrize(
    "vnd, shown",
    [
        (30_722_300_000, "30.722,3"),
        (6_000_000_000, "6.000"),
        (8_572_300_000, "8.572,3"),
        (180_000_000_000, "180.000"),
        (1, "0,000001"),
        (0, "0"),
        (-1_500_000, "-1,5"),
    ],
)
def test_it_shows_amounts_in_trieu_with_vietnamese_separators(vnd, shown):
    assert format_trieu(vnd) == shown


def test_it_shows_dong_grouped():
    assert format_dong(30_722_300_000) == "30.722.300.000"


@pytest.mark.parametrize(
    "typed, vnd",
    [
        ("30.722,3", 30_722_300_000),
        ("30722,3", 30_722_300_000),
        ("6.000", 6_000_000_000),
        ("0,5", 500_000),
        ("1.234.567,891234", 1_234_567_891_234),
        ("30.722.300.000 đ", 30_722_300_000),
        ("30722300000đ", 30_722_300_000),
        ("1 500 đồng", 1_500),
        ("12 triệu", 12_000_000),
    ],
)
def test_it_parses_what_people_type(typed, vnd):
    assert parse_money(typed) == vnd


@pytest.mark.parametrize(
    "typed",
    ["", "-5", "abc", "30.72,3", "1,2,3", "1,", "0,0000001", "12,5 đ", "10000000000000 triệu"],
)
def test_it_rejects_malformed_negative_or_overflowing_amounts(typed):
    with pytest.raises(ValidationError):
        parse_money(typed)


@pytest.mark.parametrize(
    "typed, question",
    [
        ("450.000.000", "450.000.000 triệu đồng = 450.000 tỷ đồng — ý bạn là 450 triệu?"),
        ("250000000", "250.000.000 triệu đồng = 250.000 tỷ đồng — ý bạn là 250 triệu?"),
        ("1.000.000", "1.000.000 triệu đồng = 1.000 tỷ đồng — ý bạn là 1 triệu?"),
        ("30.722.300", "30.722.300 triệu đồng = 30.722,3 tỷ đồng — ý bạn là 30,7223 triệu?"),
    ],
)
def test_a_whole_million_or_more_in_a_trieu_box_is_asked_about_not_stored(typed, question):
    with pytest.raises(ValidationError) as refused:
        parse_money(typed)
    assert refused.value.code == "dong_looking"
    assert question in refused.value.messages[0]
    assert "đ nếu đúng là số đồng" in refused.value.messages[0]


@pytest.mark.parametrize(
    "typed, vnd",
    [
        ("999.999", 999_999 * 1_000_000),  # just below: 999,999 tỷ is typed on purpose
        ("1.000.000,5", 1_000_000_500_000),  # a decimal part says triệu
        ("450.000.000 đ", 450_000_000),  # the unit said đồng
        ("450.000.000đồng", 450_000_000),
        ("2.000.000 triệu", 2_000_000 * 1_000_000),  # the unit said triệu: no question
    ],
)
def test_what_says_its_unit_or_is_below_the_line_is_taken_as_typed(typed, vnd):
    assert parse_money(typed) == vnd


def test_leverage_is_counterpart_over_support_with_two_decimals():
    assert leverage(180_000_000_000, 6_000_000_000) == Decimal("30.00")
    assert format_leverage(leverage(180_000_000_000, 6_000_000_000)) == "30,00"


def test_leverage_is_a_dash_when_nothing_was_supported():
    assert leverage(5, 0) is None
    assert format_leverage(None) == "—"


def test_achievement_is_shown_as_a_vietnamese_percentage():
    assert ratio(16_150_000_000, 20_400_000_000) == Decimal("0.7917")
    assert format_percent(ratio(16_150_000_000, 20_400_000_000)) == "79,17 %"
