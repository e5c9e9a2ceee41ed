"""The public registration page (/dang-ky/) and status page (/dang-ky/tra-cuu/): no account."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from khuyencong.models import Province
from registrations.codes import ALPHABET
from registrations.models import Registration, RegistrationEvent, RegistrationFile
from tests.builders import TRIEU, make_registration
from tests.registration_support import (  # noqa: F401 - fixtures
    PDF,
    PNG,
    form_data,
    fresh_cache,
    private_media,
)

pytestmark = pytest.mark.django_db

CODE = re.compile(rf"KC-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}")


def submit(client=None, files=(), forwarded_for=None, **overrides):
    client = client or Client()
    data = form_data(**overrides)
    if files:
        data["files"] = list(files)
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else None
    return client.post("/dang-ky/", data, headers=headers)


def test_the_page_opens_without_an_account():
    response = Client().get("/dang-ky/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Đăng ký hỗ trợ khuyến công trực tuyến" in body
    assert 'name="viewport"' in body


def test_it_offers_only_todays_34_provinces():
    form = Client().get("/dang-ky/").context["form"]
    offered = set(form.fields["province"].queryset.values_list("slug", flat=True))
    assert len(offered) == 34
    assert offered == set(Province.objects.current().values_list("slug", flat=True))
    assert "bac-giang" not in offered


def test_a_submission_is_saved_with_a_tracking_code_and_shown_once_more(
    django_capture_on_commit_callbacks,
):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client)
    assert response.status_code == 302
    assert response["Location"] == "/dang-ky/da-gui/"
    registration = Registration.objects.get()
    assert CODE.fullmatch(registration.code)
    assert registration.status == "received"
    assert registration.province_id == "bac-ninh"
    assert registration.phone == "0912345678"
    assert (registration.requested_support_vnd, registration.counterpart_vnd) == (
        300 * TRIEU,
        450 * TRIEU,
    )
    assert registration.submitted_from == "127.0.0.1"
    event = RegistrationEvent.objects.get()
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        "submit",
        "",
        "received",
        None,
    )
    page = client.get("/dang-ky/da-gui/")
    assert registration.code in page.content.decode()
    # The applicant got the code by mail.
    to_applicant = [m for m in mail.outbox if m.to == ["htx.ducthanh@example.vn"]]
    assert len(to_applicant) == 1
    assert registration.code in to_applicant[0].body


def test_the_centre_of_the_province_hears_of_a_new_registration(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(email="")
    assert [m.to for m in mail.outbox] == [["centre.bacninh@example.vn"]]


def test_no_mail_goes_to_an_applicant_without_email(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(email="")
    assert Registration.objects.count() == 1
    assert mail.outbox == []


def test_errors_show_next_to_each_field_and_nothing_is_saved():
    response = submit(name="", phone="12", requested_support_vnd="abc", province="bac-giang")
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"name", "phone", "requested_support_vnd", "province"}
    body = response.content.decode()
    assert "Hồ sơ chưa được lưu" in body
    assert body.count('class="errorlist') >= 4
    assert Registration.objects.count() == 0


def test_the_declaration_must_be_ticked():
    response = submit(confirm="")
    assert "confirm" in response.context["form"].errors
    assert Registration.objects.count() == 0


def test_tax_code_may_be_left_empty_for_a_household_business():
    submit(tax_code="", legal_form="household")
    assert Registration.objects.get().tax_code == ""


def test_uploaded_documents_are_kept_with_the_registration():
    files = [
        SimpleUploadedFile("giay-dkkd.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("nha-xuong.png", PNG, content_type="image/png"),
    ]
    response = submit(files=files)
    assert response.status_code == 302
    stored = RegistrationFile.objects.order_by("original_name")
    assert [(f.original_name, f.content_type) for f in stored] == [
        ("giay-dkkd.pdf", "application/pdf"),
        ("nha-xuong.png", "image/png"),
    ]


def test_a_bad_upload_type_is_rejected_and_nothing_is_saved():
    disguised = SimpleUploadedFile(
        "bao-gia.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    script = SimpleUploadedFile("virus.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = submit(files=[disguised, script])
    assert response.status_code == 200
    errors = response.context["form"].errors["files"]
    assert any("bao-gia.pdf" in e for e in errors)
    assert any("virus.exe" in e for e in errors)
    assert Registration.objects.count() == 0
    assert RegistrationFile.objects.count() == 0


def test_more_than_five_files_are_refused():
    files = [
        SimpleUploadedFile(f"tep-{i}.pdf", PDF, content_type="application/pdf") for i in range(6)
    ]
    response = submit(files=files)
    assert "Tối đa 5 tệp" in response.context["form"].errors["files"][0]
    assert Registration.objects.count() == 0


def test_a_filled_trap_field_pretends_success_but_saves_nothing(
    django_capture_on_commit_callbacks,
):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, website="http://spam.example")
    assert response.status_code == 302
    assert response["Location"] == "/dang-ky/da-gui/"
    page = client.get("/dang-ky/da-gui/").content.decode()
    assert CODE.search(page)  # looks like a real code
    assert Registration.objects.count() == 0
    assert RegistrationEvent.objects.count() == 0
    assert mail.outbox == []


def test_the_trap_field_is_hidden_from_people():
    body = Client().get("/dang-ky/").content.decode()
    trap = re.search(r'<div class="hp" aria-hidden="true">.*?</div>', body, re.S).group(0)
    assert 'name="website"' in trap
    assert 'tabindex="-1"' in trap


def test_submissions_are_limited_per_address_per_hour(settings):
    settings.REGISTRATION_RATE_LIMIT = 3
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(3):
        assert submit(client).status_code == 302
    response = submit(client)
    assert response.status_code == 429
    assert "Xin thử lại sau" in response.content.decode()
    assert Registration.objects.count() == 3
    # Another address is not affected.
    assert submit(Client(REMOTE_ADDR="203.0.113.8")).status_code == 302


def test_trapped_robots_use_up_the_limit_too(settings):
    settings.REGISTRATION_RATE_LIMIT = 2
    client = Client(REMOTE_ADDR="203.0.113.9")
    submit(client, website="x")
    submit(client, website="x")
    assert submit(client).status_code == 429
    assert Registration.objects.count() == 0


def test_forwarded_for_is_ignored_unless_a_proxy_is_trusted(settings):
    settings.REGISTRATION_RATE_LIMIT = 1
    spoofing = Client(REMOTE_ADDR="203.0.113.10")
    assert submit(spoofing, forwarded_for="1.1.1.1").status_code == 302
    # Changing the header does not buy a fresh allowance.
    assert submit(spoofing, forwarded_for="2.2.2.2").status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_address_counts(settings):
    settings.REGISTRATION_RATE_LIMIT = 1
    settings.REGISTRATION_TRUSTED_PROXIES = 1
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    assert submit(proxy, forwarded_for="forged, 198.51.100.1").status_code == 302
    assert submit(proxy, forwarded_for="forged-again, 198.51.100.1").status_code == 429
    assert submit(proxy, forwarded_for="198.51.100.2").status_code == 302


# --- Status look-up ---------------------------------------------------------------------------


def lookup(code, secret, client=None):
    return (client or Client()).post("/dang-ky/tra-cuu/", {"code": code, "secret": secret})


def test_the_status_page_finds_a_registration_by_code_and_tax_code():
    registration = make_registration()
    response = lookup(registration.code, "2300999001")
    body = response.content.decode()
    assert response.context["registration"] == registration
    assert "Đã tiếp nhận" in body
    assert registration.name in body


def test_the_status_page_finds_it_by_phone_typed_another_way_and_a_lowercase_code():
    registration = make_registration()
    response = lookup(registration.code.lower().replace("-", " "), "+84 912.345.678")
    assert response.context["registration"] == registration


def test_a_tracking_code_with_the_wrong_tax_code_shows_nothing():
    registration = make_registration()
    response = lookup(registration.code, "2300999002")
    body = response.content.decode()
    assert response.context["registration"] is None
    assert "Không tìm thấy hồ sơ với thông tin này" in body
    for secret in (registration.name, "Mây tre", "Bắc Ninh", "Đã tiếp nhận", "0912345678"):
        assert secret not in body


def test_a_wrong_code_and_a_wrong_pair_answer_the_same():
    registration = make_registration()
    wrong_pair = lookup(registration.code, "0999999999").content.decode()
    unknown = lookup("KC-2222-2222", "0999999999").content.decode()
    strip = lambda html: re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)  # noqa: E731
    assert strip(wrong_pair).replace(registration.code, "KC-2222-2222") == strip(unknown)


def test_another_registrations_tax_code_does_not_open_this_one():
    mine = make_registration()
    other = make_registration(tax_code="2300999555", phone="0988000111")
    assert lookup(mine.code, other.tax_code).context["registration"] is None
    assert lookup(mine.code, other.phone).context["registration"] is None


def test_status_lookups_are_rate_limited(settings):
    settings.REGISTRATION_LOOKUP_RATE_LIMIT = 3
    registration = make_registration()
    client = Client(REMOTE_ADDR="203.0.113.20")
    for _ in range(3):
        lookup(registration.code, "wrong", client)
    response = lookup(registration.code, "2300999001", client)
    assert response.status_code == 429
    assert registration.name not in response.content.decode()


def test_a_declined_registration_shows_the_reason(cast):
    from registrations import workflow

    registration = make_registration()
    workflow.decline(registration.pk, cast["centre.bacninh"], "Ngành nghề không thuộc diện hỗ trợ.")
    body = lookup(registration.code, "2300999001").content.decode()
    assert "Không được hỗ trợ" in body
    assert "Ngành nghề không thuộc diện hỗ trợ." in body
