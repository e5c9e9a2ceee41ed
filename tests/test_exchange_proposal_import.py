"""Importing proposals and their beneficiaries: drafts only, through editing.save_proposal."""

import pytest

from exchange.models import Status
from facilities.models import Facility
from proposals.models import Proposal, State
from tests.exchange_files import (
    TRIEU,
    beneficiary_row,
    check,
    confirm,
    errors_of,
    proposal_file,
    proposal_row,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def facilities(db):
    return [
        Facility.objects.create(
            name=f"Cơ sở {n}", legal_form="household", tax_code=f"230080000{n}", province_id=p
        )
        for n, p in ((1, "bac-ninh"), (2, "bac-ninh"), (3, "phu-tho"))
    ]


def two_beneficiaries(code="BN-X-001"):
    return [
        beneficiary_row(code, "2300800001", "300", 400 * TRIEU),
        beneficiary_row(code, "2300800002", 200 * TRIEU, "600"),
    ]


def snapshot():
    return (
        list(Proposal.objects.order_by("pk").values()),
        list(Proposal.objects.values_list("beneficiaries__facility", "beneficiaries__support_vnd")),
        Proposal.history.count(),
    )


def test_it_creates_a_draft_with_its_beneficiaries(cast, facilities):
    user = cast["centre.bacninh"]
    job = check(user, "proposals", proposal_file([proposal_row()], two_beneficiaries()))
    assert job.status == Status.READY, errors_of(job)
    # One proposal row and two beneficiary rows, all new.
    assert job.new_rows == 3
    assert not Proposal.objects.exists()

    confirm(job)
    proposal = Proposal.objects.get(code="BN-X-001")
    assert proposal.state == State.DRAFT
    assert proposal.created_by == user
    # "500" in a text cell is triệu; 1 000 000 000 in a number cell is đồng.
    assert (proposal.support_vnd, proposal.counterpart_vnd) == (500 * TRIEU, 1_000 * TRIEU)
    assert proposal.fund_id == "provincial" and proposal.content_id == 3
    assert str(proposal.start_date) == "2026-03-01"
    assert sorted(proposal.beneficiaries.values_list("support_vnd", "counterpart_vnd")) == [
        (200 * TRIEU, 600 * TRIEU),
        (300 * TRIEU, 400 * TRIEU),
    ]


def test_beneficiary_sums_must_match_and_nothing_is_written(cast, facilities):
    rows = two_beneficiaries()
    rows[1]["support_vnd"] = "250"
    job = check(
        cast["centre.bacninh"],
        "proposals",
        proposal_file([proposal_row(), proposal_row("BN-X-002")], rows),
    )
    assert job.status == Status.INVALID
    errors = errors_of(job)
    assert errors[0][:3] == ("Đề án", 2, "Kinh phí khuyến công hỗ trợ (đồng)")
    assert "550" in errors[0][3] and "500" in errors[0][3]
    assert not Proposal.objects.exists()


def test_a_centre_cannot_import_proposals_into_another_province(cast, facilities):
    job = check(
        cast["centre.bacninh"],
        "proposals",
        proposal_file([proposal_row(province="Phú Thọ")], []),
    )
    ((sheet, row, column, message),) = errors_of(job)
    assert (sheet, row, column) == ("Đề án", 2, "Tỉnh, thành phố")
    assert "Phú Thọ" in message


def test_a_proposal_belongs_to_the_province_of_its_year(cast, facilities):
    job = check(
        cast["centre.phutho"],
        "proposals",
        proposal_file([proposal_row("PT-1", province="Hòa Bình", year=2026)], []),
    )
    ((_sheet, _row, column, message),) = errors_of(job)
    assert column == "Tỉnh, thành phố"
    assert "Phú Thọ" in message  # "…không còn tồn tại vào năm 2026; hãy chọn Phú Thọ."
    ok = check(
        cast["centre.phutho"],
        "proposals",
        proposal_file([proposal_row("PT-1", province="Hòa Bình", year=2023)], []),
    )
    assert ok.status == Status.READY


def test_a_submitted_proposal_cannot_be_changed_by_a_file(cast, facilities):
    user = cast["centre.bacninh"]
    data = proposal_file([proposal_row()], two_beneficiaries())
    confirm(check(user, "proposals", data))
    Proposal.objects.filter(code="BN-X-001").update(state=State.SUBMITTED)

    # The same file: unchanged, fine.
    assert check(user, "proposals", data).unchanged_rows == 3
    # A changed title: refused with the state named.
    changed = proposal_file([proposal_row(title="Tên mới")], two_beneficiaries())
    job = check(user, "proposals", changed)
    message = errors_of(job)[0][3]
    assert "Đã gửi" in message and "không được sửa" in message


def test_reimporting_the_same_file_changes_nothing(cast, facilities):
    user = cast["centre.bacninh"]
    data = proposal_file([proposal_row()], two_beneficiaries())
    confirm(check(user, "proposals", data))
    before = snapshot()
    again = check(user, "proposals", data)
    assert (again.unchanged_rows, again.new_rows, again.updated_rows) == (3, 0, 0)
    confirm(again)
    assert snapshot() == before


def test_an_update_bumps_the_version_and_replaces_beneficiaries(cast, facilities):
    user = cast["centre.bacninh"]
    confirm(check(user, "proposals", proposal_file([proposal_row()], two_beneficiaries())))
    single = [beneficiary_row("BN-X-001", "2300800001", "500", "1.000")]
    job = check(user, "proposals", proposal_file([proposal_row(kind="Đề án đơn lẻ")], single))
    row = job.rows.get(sheet="Đề án")
    assert row.outcome == "update"
    assert [c[0] for c in row.changes] == ["Loại đề án", "Cơ sở thụ hưởng"]
    confirm(job)
    proposal = Proposal.objects.get()
    assert proposal.version == 2
    assert proposal.beneficiaries.count() == 1


def test_an_edit_between_preview_and_confirm_is_not_overwritten(cast, facilities):
    user = cast["centre.bacninh"]
    confirm(check(user, "proposals", proposal_file([proposal_row()], two_beneficiaries())))
    job = check(
        user, "proposals", proposal_file([proposal_row(title="Từ tệp")], two_beneficiaries())
    )
    Proposal.objects.filter(code="BN-X-001").update(title="Sửa trên trang", version=2)
    job = confirm(job)
    assert job.status == Status.INVALID
    assert Proposal.objects.get().title == "Sửa trên trang"
    assert "người khác sửa" in errors_of(job)[0][3]


def test_beneficiaries_must_be_known_facilities_in_scope(cast, facilities):
    rows = [
        beneficiary_row("BN-X-001", "2300800003", "500", "1.000"),  # Phú Thọ's facility
        beneficiary_row("BN-X-009", "2300800001", "1", "1"),  # no such proposal in the file
    ]
    job = check(cast["centre.bacninh"], "proposals", proposal_file([proposal_row()], rows))
    errors = errors_of(job)
    assert ("Cơ sở thụ hưởng", 2, "Mã số thuế cơ sở") == errors[1][:3]
    assert "Không tìm thấy cơ sở" in errors[1][3]
    assert any(e[:3] == ("Cơ sở thụ hưởng", 3, "Mã đề án") for e in errors)
    # The proposal row points at its broken beneficiary row.
    assert errors[0][:2] == ("Đề án", 2) and "dòng 2" in errors[0][3]


def test_a_money_number_with_a_fraction_is_refused_as_ambiguous(cast, facilities):
    job = check(
        cast["centre.bacninh"], "proposals", proposal_file([proposal_row(support_vnd=30722.3)], [])
    )
    ((_s, _r, column, message),) = errors_of(job)
    assert column == "Kinh phí khuyến công hỗ trợ (đồng)"
    assert "30.722,3" in message


def test_the_beneficiary_sheet_is_required(cast, facilities):
    from exchange.sheets import PROPOSALS
    from tests.exchange_files import workbook_bytes

    data = workbook_bytes({"Đề án": [[c.title for c in PROPOSALS.importable]]})
    job = check(cast["centre.bacninh"], "proposals", data)
    assert job.status == Status.INVALID and "Cơ sở thụ hưởng" in job.message
