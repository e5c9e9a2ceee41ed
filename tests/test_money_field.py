"""The shared money form field: triệu or đồng in, integer VND out, Vietnamese errors."""

from django import forms

from khuyencong.forms import MoneyField


class AmountForm(forms.Form):
    support = MoneyField(label="Kinh phí hỗ trợ")
    counterpart = MoneyField(label="Vốn đối ứng", required=False)


def test_it_reads_trieu_with_vietnamese_separators():
    form = AmountForm({"support": "30.722,3"})
    assert form.is_valid()
    assert form.cleaned_data["support"] == 30_722_300_000


def test_it_reads_trieu_without_grouping():
    form = AmountForm({"support": "30722,3"})
    assert form.is_valid()
    assert form.cleaned_data["support"] == 30_722_300_000


def test_it_reads_dong_when_marked_with_d():
    form = AmountForm({"support": "30.722.300.000 đ"})
    assert form.is_valid()
    assert form.cleaned_data["support"] == 30_722_300_000


def test_an_empty_optional_amount_is_none():
    form = AmountForm({"support": "1", "counterpart": ""})
    assert form.is_valid()
    assert form.cleaned_data["counterpart"] is None


def test_a_missing_required_amount_is_refused_in_vietnamese():
    form = AmountForm({"support": ""})
    assert not form.is_valid()
    assert form.errors["support"] == ["Hãy nhập số tiền."]


def test_malformed_negative_and_huge_amounts_are_refused_in_vietnamese():
    for typed, message in [
        ("1,2,3", "Số tiền không hợp lệ"),
        ("abc", "Số tiền không hợp lệ"),
        ("-5", "Số tiền không được âm"),
        ("30.72,3", "Dấu chấm ngăn cách hàng nghìn"),
        ("999999999999 triệu", "Số tiền quá lớn"),
        ("999999999999", "ý bạn là 999.999,999999 triệu?"),
    ]:
        form = AmountForm({"support": typed})
        assert not form.is_valid(), typed
        assert message in form.errors["support"][0], typed


def test_it_shows_a_stored_amount_in_trieu_with_the_unit_and_a_decimal_keypad():
    html = str(AmountForm(initial={"support": 30_722_300_000})["support"])
    assert 'value="30.722,3"' in html
    assert 'inputmode="decimal"' in html
    assert "triệu đồng" in html


def test_label_and_help_say_which_unit_to_type():
    field = AmountForm().fields["support"]
    assert str(field.label) == "Kinh phí hỗ trợ (triệu đồng)"
    assert "triệu đồng" in str(field.help_text)
    assert "30.722.300.000 đ" in str(field.help_text)


def test_what_the_user_typed_is_shown_back_unchanged_after_an_error():
    form = AmountForm({"support": "12,5x"})
    assert not form.is_valid()
    assert 'value="12,5x"' in str(form["support"])


def test_an_unchanged_amount_is_not_reported_as_changed():
    form = AmountForm({"support": "30.722,3"}, initial={"support": 30_722_300_000})
    assert "support" not in form.changed_data
