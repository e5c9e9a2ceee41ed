"""Demo data: the accounts of SPEC §9 and proposals that reproduce the programme's own figures.

Everything is keyed by natural keys (username, tax code, proposal code) and written with upserts,
so running `load_demo` again leaves the same data. Historic figures (SPEC §8) are entered as
imported history: one `import` event each, no invented approvers.
"""

import datetime
import os
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from facilities.models import AreaClass, Facility, LegalForm
from funding.models import Allocation, Fund, Plan, PlanTarget
from khuyencong import datacache
from khuyencong.models import Membership, Unit
from khuyencong.roles import Role
from proposals import lifecycle
from proposals.models import (
    Beneficiary,
    Kind,
    OutcomeIndicator,
    Payment,
    ProgressReport,
    Proposal,
    ProposalEvent,
    State,
)

DEFAULT_PASSWORD = "demo-khuyencong"
TRIEU = 1_000_000
IMPORT_ACTION = "import"

ACCOUNTS = [
    # username, full name, role, province (None = national)
    ("centre.bacninh", "Nguyễn Văn Hùng", Role.CENTRE, "bac-ninh"),
    ("dept.bacninh", "Trần Thị Lan", Role.DEPARTMENT, "bac-ninh"),
    ("centre.phutho", "Lê Minh Đức", Role.CENTRE, "phu-tho"),
    ("dept.phutho", "Phạm Thu Hà", Role.DEPARTMENT, "phu-tho"),
    ("ministry", "Hoàng Quốc Việt", Role.MINISTRY, None),
    ("manager", "Vũ Thị Mai", Role.MANAGER, None),
    ("admin", "Quản trị hệ thống", Role.ADMIN, None),
]


def demo_password() -> str:
    return os.getenv("DEMO_PASSWORD", DEFAULT_PASSWORD)


def create_demo_accounts(password: str | None = None) -> dict:
    """The seven demo accounts with their memberships; returns {username: user}."""
    password = password or demo_password()
    User = get_user_model()
    users = {}
    for username, full_name, role, province in ACCOUNTS:
        # Vietnamese names read family name first, so the whole name goes in first_name and
        # get_full_name() shows "Trần Thị Lan", not "Lan Trần Thị".
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": full_name, "email": f"{username}@example.vn"},
        )
        user.first_name, user.last_name = full_name, ""
        if created or not user.check_password(password):
            user.set_password(password)
        user.is_staff = user.is_superuser = role == Role.ADMIN
        user.save()
        Membership.objects.get_or_create(user=user, role=role, province_id=province)
        users[username] = user
    return users


def split_exact(total: int, n: int, unit: int = 100_000, salt: int = 0) -> list[int]:
    """Split `total` đồng into `n` uneven parts, each a multiple of `unit`, adding up exactly."""
    weights = [3 + ((i + salt) * 7) % 5 for i in range(n)]
    scale = sum(weights)
    parts = [total * w // scale // unit * unit for w in weights]
    parts[-1] += total - sum(parts)
    return parts


@dataclass
class DemoProposal:
    code: str
    title: str
    year: int
    province: str
    fund: str
    content: int
    support_vnd: int
    counterpart_vnd: int = 0
    other_vnd: int = 0
    state: str = State.SETTLED
    kind: str = Kind.SINGLE
    implementing_unit: str = ""  # the note, as the papers name who carried it out
    regional: int = 0  # implemented by the ministry's regional centre no. n, not the province's
    scale: str = ""
    decision_number: str = ""
    beneficiaries: list = field(default_factory=list)  # (tax_code, support, counterpart)
    # (SPEC §3.2 key, planned), or (None, name, unit, planned) for an "other" row (a capacity).
    indicators: list = field(default_factory=list)
    history: bool = True  # entered from past reporting, one `import` event
    activity: str = ""  # SPEC §3.1 key; by default the one its content and title make obvious

    def __post_init__(self):
        if not self.activity:
            self.activity = obvious_activity(self.content, self.title)

    @property
    def counted(self):
        return self.state in lifecycle.COUNTED_STATES

    def outcome_rows(self, proposal_id) -> list:
        """Its indicators; an accepted (or settled) proposal achieved what it planned."""
        accepted = self.state in lifecycle.ACCEPTED_STATES
        rows = []
        for row in self.indicators:
            key, name, unit, planned = row if len(row) == 4 else (row[0], "", "", row[1])
            rows.append(
                OutcomeIndicator(
                    proposal_id=proposal_id,
                    indicator_id=key,
                    name=name,
                    unit=unit,
                    planned=planned,
                    actual=planned if accepted else None,
                )
            )
        return rows


# The activity type (SPEC §3.1) a demo title names, else the usual one of its content.
TITLE_ACTIVITIES = [
    ("mô hình trình diễn", "demo_model"),
    ("hội chợ", "fair"),
]
USUAL_ACTIVITY = {
    1: "vocational_training",
    2: "management_training",
    3: "machinery",
    4: "typical_product_contest",
    5: "consultancy",
    6: "communication",
    7: "cluster_planning",
    8: "international",
    9: "staff_training",
}


def obvious_activity(content: int, title: str) -> str:
    lowered = title.lower()
    for words, key in TITLE_ACTIVITIES:
        if words in lowered:
            return key
    return USUAL_ACTIVITY[content]


BG_DISTRICTS = [
    "Lục Nam",
    "Lục Ngạn",
    "Yên Thế",
    "Lạng Giang",
    "Tân Yên",
    "Hiệp Hòa",
    "Việt Yên",
    "Yên Dũng",
    "Sơn Động",
    "TP Bắc Giang",
]
BG_PRODUCTS = [
    "mì Chũ",
    "đồ gỗ mỹ nghệ",
    "mây tre đan",
    "bánh đa Kế",
    "rượu làng Vân",
    "gốm Thổ Hà",
    "cơ khí nông cụ",
    "vải thiều sấy",
    "chè Yên Thế",
    "may mặc",
]
TITLES = {
    1: "Đào tạo nghề, truyền nghề {product} tại huyện {district}",
    2: "Hội thảo nâng cao năng lực quản lý, phát triển thị trường sản phẩm {product}",
    3: "Hỗ trợ ứng dụng máy móc thiết bị tiên tiến trong sản xuất {product}, huyện {district}",
    4: "Bình chọn, hỗ trợ phát triển sản phẩm công nghiệp nông thôn tiêu biểu ({product})",
    5: "Tư vấn lập dự án đầu tư, đổi mới công nghệ cho cơ sở sản xuất {product}",
    6: "Thông tin tuyên truyền hoạt động khuyến công trên truyền hình, huyện {district}",
    7: "Hỗ trợ lập quy hoạch chi tiết, hạ tầng cụm công nghiệp huyện {district}",
    8: "Hợp tác quốc tế: khảo sát, học tập mô hình sản xuất {product}",
    9: "Tập huấn nâng cao năng lực cán bộ khuyến công huyện {district}",
}
CENTRE_BG = "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Bắc Giang"
FUND_CODE = {Fund.NATIONAL: "QG", Fund.PROVINCIAL: "DP", Fund.DISTRICT: "HX"}


def _title(content, i, year):
    district = BG_DISTRICTS[i % len(BG_DISTRICTS)]
    product = BG_PRODUCTS[(i * 3 + year) % len(BG_PRODUCTS)]
    return TITLES[content].format(district=district, product=product)


def bac_giang_facilities() -> list[dict]:
    """Facilities that received national support in Bắc Giang 2016–2020."""
    rows = []
    for i in range(17):
        product = BG_PRODUCTS[i % len(BG_PRODUCTS)]
        district = BG_DISTRICTS[i % len(BG_DISTRICTS)]
        rows.append(
            dict(
                tax_code=f"24{i + 1:08d}",
                name=f"Công ty TNHH sản xuất {product} {district}",
                legal_form=LegalForm.SME,
                province_id="bac-giang",
                address=f"Huyện {district}, tỉnh Bắc Giang",
                sector=f"Sản xuất {product}",
                employees=40 + i * 5,
            )
        )
    return rows


# Bắc Giang 2016–2020's outputs (SPEC §8): 3 demonstration models, then 17 facilities given
# advanced machinery (the national fund's six other content-3 proposals, eleven provincial
# ones); its other content-3 proposals transferred technology.
BG_DEMO_MODELS = [
    "tấm lợp cách nhiệt ba lớp",
    "chế phẩm sinh học biolin",
    "thức ăn chăn nuôi",
]
BG_MACHINERY = {Fund.NATIONAL: 6, Fund.PROVINCIAL: 11, Fund.DISTRICT: 0}
BG_TECH_TRANSFER = (
    "Chuyển giao công nghệ, ứng dụng tiến bộ kỹ thuật sản xuất {product}, huyện {district}"
)


def _bac_giang_content_3(p: DemoProposal, n: int, machinery_left: dict, i: int) -> None:
    """The activity, title and planned output of the n-th content-3 proposal of its fund."""
    if p.fund == Fund.NATIONAL and n < len(BG_DEMO_MODELS):
        p.activity, p.indicators = "demo_model", [("demo_models", 1)]
        p.title = f"Xây dựng mô hình trình diễn kỹ thuật sản xuất {BG_DEMO_MODELS[n]}"
    elif machinery_left[p.fund] > 0:
        machinery_left[p.fund] -= 1
        p.activity, p.indicators = "machinery", [("machinery_facilities", 1)]
    else:
        p.activity, p.indicators = "tech_transfer", [("tech_transfers", 1)]
        p.title = BG_TECH_TRANSFER.format(
            product=BG_PRODUCTS[(i * 3 + p.year) % len(BG_PRODUCTS)],
            district=BG_DISTRICTS[i % len(BG_DISTRICTS)],
        )


def bac_giang_2016_2020() -> list[DemoProposal]:
    """297 counted proposals, 30.722,3 triệu (SPEC §8), and a few that must not be counted."""
    machinery_left = dict(BG_MACHINERY)
    proposals = []
    groups = [
        (Fund.NATIONAL, 17, 6_000 * TRIEU, 180_000 * TRIEU, [3, 3, 3, 1, 4, 7]),
        (Fund.PROVINCIAL, 132, 16_150 * TRIEU, None, [1, 2, 3, 3, 4, 5, 6, 9]),
        (Fund.DISTRICT, 148, 8_572_300_000, None, [1, 3, 4, 6]),
    ]
    for fund, count, support_total, counterpart_total, contents in groups:
        supports = split_exact(support_total, count, salt=len(fund))
        if counterpart_total is not None:
            counterparts = split_exact(counterpart_total, count, unit=TRIEU, salt=3)
        else:
            counterparts = [
                s * (10 + i % 15) // 10 // TRIEU * TRIEU for i, s in enumerate(supports)
            ]
        content_3 = 0
        for i in range(count):
            year = 2016 + i % 5
            content = contents[i % len(contents)]
            district = BG_DISTRICTS[i % len(BG_DISTRICTS)]
            p = DemoProposal(
                code=f"BG-{year}-{FUND_CODE[fund]}-{i + 1:03d}",
                title=_title(content, i, year),
                year=year,
                province="bac-giang",
                fund=fund,
                content=content,
                support_vnd=supports[i],
                counterpart_vnd=counterparts[i],
                state=State.ACCEPTED if (year == 2020 and i % 4 == 0) else State.SETTLED,
                implementing_unit=(
                    f"UBND huyện {district}" if fund == Fund.DISTRICT else CENTRE_BG
                ),
                decision_number=f"{100 + i}/QĐ-{'BCT' if fund == Fund.NATIONAL else 'SCT'}",
            )
            if fund == Fund.NATIONAL:
                p.beneficiaries = [(f"24{i + 1:08d}", supports[i], counterparts[i])]
                p.kind = Kind.SINGLE
            if content == 3:
                _bac_giang_content_3(p, content_3, machinery_left, i)
                content_3 += 1
            proposals.append(p)
    # Proposals that a report must not count.
    for i, state in enumerate([State.REJECTED, State.WITHDRAWN, State.CANCELLED]):
        proposals.append(
            DemoProposal(
                code=f"BG-2018-DP-K{i + 1:02d}",
                title=_title(3, i + 40, 2018),
                year=2018,
                province="bac-giang",
                fund=Fund.PROVINCIAL,
                content=3,
                support_vnd=(300 + 50 * i) * TRIEU,
                counterpart_vnd=900 * TRIEU,
                state=state,
                implementing_unit=CENTRE_BG,
                indicators=[("machinery_facilities", 2)],
            )
        )
    return proposals


# Thái Nguyên 2012–2022: 350 facilities supported (SPEC §8).
TN_LEGAL_FORMS = [
    (LegalForm.SME, 90),
    (LegalForm.OTHER, 67),
    (LegalForm.COOP_GROUP, 7),
    (LegalForm.HOUSEHOLD, 186),
]
TN_PRODUCTS = [
    "chè Tân Cương",
    "cơ khí",
    "gạch không nung",
    "mộc dân dụng",
    "bánh chưng Bờ Đậu",
    "chế biến nông sản",
    "may mặc",
    "gốm sứ",
]
TN_LOCALITIES = [
    "Đại Từ",
    "Phú Lương",
    "Đồng Hỷ",
    "Võ Nhai",
    "Định Hóa",
    "Phú Bình",
    "Phổ Yên",
    "Sông Công",
    "TP Thái Nguyên",
]
FORM_PREFIX = {
    LegalForm.SME: "Công ty TNHH",
    LegalForm.OTHER: "Cơ sở",
    LegalForm.COOP_GROUP: "Tổ hợp tác",
    LegalForm.HOUSEHOLD: "Hộ kinh doanh",
}


def thai_nguyen_facilities() -> list[dict]:
    rows, n = [], 0
    for legal_form, count in TN_LEGAL_FORMS:
        for _i in range(count):
            n += 1
            product = TN_PRODUCTS[n % len(TN_PRODUCTS)]
            place = TN_LOCALITIES[n % len(TN_LOCALITIES)]
            rows.append(
                dict(
                    tax_code=f"46{n:08d}",
                    name=f"{FORM_PREFIX[legal_form]} {product} {place} số {n}",
                    legal_form=legal_form,
                    province_id="thai-nguyen",
                    address=f"{place}, tỉnh Thái Nguyên",
                    sector=f"Sản xuất {product}",
                    employees=5 + n % 60,
                    area_class=(
                        AreaClass.DISADVANTAGED
                        if place in ("Võ Nhai", "Định Hóa")
                        else AreaClass.NORMAL
                    ),
                )
            )
    return rows


def thai_nguyen_2012_2022(facilities: list[dict]) -> list[DemoProposal]:
    """70 group proposals of five facilities each, over 2012–2022."""
    proposals = []
    # Interleave legal forms so each group mixes them, as real group proposals do.
    codes = [f["tax_code"] for f in facilities]
    order = codes[::2] + codes[1::2]
    for i in range(70):
        members = order[i * 5 : i * 5 + 5]
        year = 2012 + i % 11
        fund = Fund.NATIONAL if i % 3 == 0 else Fund.PROVINCIAL
        support = (250 + (i % 7) * 50) * TRIEU
        shares = split_exact(support, 5, salt=i)
        counterparts = [s * 3 for s in shares]
        proposals.append(
            DemoProposal(
                code=f"TN-{year}-{FUND_CODE[fund]}-{i + 1:03d}",
                title=f"Hỗ trợ ứng dụng máy móc thiết bị cho nhóm 5 cơ sở sản xuất "
                f"{TN_PRODUCTS[i % len(TN_PRODUCTS)]} năm {year}",
                year=year,
                province="thai-nguyen",
                fund=fund,
                content=3,
                kind=Kind.GROUP,
                support_vnd=support,
                counterpart_vnd=sum(counterparts),
                implementing_unit="Trung tâm Khuyến công và Xúc tiến thương mại Thái Nguyên",
                decision_number=f"{200 + i}/QĐ-{'BCT' if fund == Fund.NATIONAL else 'SCT'}",
                beneficiaries=list(zip(members, shares, counterparts, strict=True)),
            )
        )
    return proposals


BN_FACILITIES = [
    dict(
        tax_code="2300100001",
        name="Công ty TNHH Bao bì Carton Đức Thắng",
        sector="Sản xuất bao bì carton",
        address="Huyện Yên Phong, tỉnh Bắc Ninh",
    ),
    dict(
        tax_code="2300100002",
        name="Công ty Cổ phần Bao bì Kinh Bắc",
        sector="Sản xuất bao bì carton",
        address="Huyện Quế Võ, tỉnh Bắc Ninh",
    ),
    dict(
        tax_code="2300100003",
        name="Công ty TNHH Giấy và Bao bì Phong Khê",
        sector="Sản xuất bao bì carton",
        address="Phường Phong Khê, TP Bắc Ninh",
    ),
    dict(
        tax_code="2300100004",
        name="Hợp tác xã Gốm Phù Lãng",
        sector="Gốm mỹ nghệ",
        address="Xã Phù Lãng, huyện Quế Võ, tỉnh Bắc Ninh",
        legal_form=LegalForm.COOPERATIVE,
    ),
    dict(
        tax_code="2300100005",
        name="Công ty TNHH Đồ gỗ Đồng Kỵ",
        sector="Đồ gỗ mỹ nghệ",
        address="Phường Đồng Kỵ, TP Từ Sơn, tỉnh Bắc Ninh",
    ),
]
BN_MACHINERY = [
    dict(
        tax_code=f"23002000{i:02d}",
        name=f"Cơ sở sản xuất {p} số {i}",
        sector=p,
        address=f"Huyện {d}, tỉnh Bắc Ninh",
        legal_form=LegalForm.HOUSEHOLD if i % 3 else LegalForm.SME,
    )
    for i, (p, d) in enumerate(
        [
            ("đồ gỗ", "Từ Sơn"),
            ("đúc đồng", "Thuận Thành"),
            ("tranh Đông Hồ", "Thuận Thành"),
            ("mây tre", "Gia Bình"),
            ("gốm", "Quế Võ"),
            ("cơ khí", "Yên Phong"),
            ("giấy", "Yên Phong"),
            ("bún", "Tiên Du"),
            ("bánh phu thê", "Từ Sơn"),
            ("dệt may", "Lương Tài"),
            ("nhôm kính", "Tiên Du"),
            ("sắt thép", "Yên Phong"),
            ("đồ gỗ", "Từ Sơn"),
            ("gốm", "Quế Võ"),
        ],
        start=1,
    )
]
PT_FACILITIES = [
    dict(
        tax_code="2600300001",
        name="Công ty TNHH Chè Phú Thọ Xanh",
        sector="Chế biến chè",
        address="Huyện Thanh Sơn, tỉnh Phú Thọ",
    ),
    dict(
        tax_code="2600300002",
        name="Hợp tác xã Mây tre đan Cẩm Khê",
        sector="Mây tre đan",
        address="Huyện Cẩm Khê, tỉnh Phú Thọ",
        legal_form=LegalForm.COOPERATIVE,
    ),
    dict(
        tax_code="2600300003",
        name="Hộ kinh doanh Nguyễn Văn Đức (bánh tai voi)",
        sector="Chế biến thực phẩm",
        address="Huyện Lâm Thao, tỉnh Phú Thọ",
        legal_form=LegalForm.HOUSEHOLD,
    ),
    dict(
        tax_code="2500400001",
        name="Công ty TNHH Cơ khí Vĩnh Yên",
        sector="Cơ khí",
        address="TP Vĩnh Yên, tỉnh Vĩnh Phúc (nay là tỉnh Phú Thọ)",
        province_id="vinh-phuc",
    ),
    dict(
        tax_code="5400500001",
        name="Hợp tác xã Dệt thổ cẩm Mai Châu",
        sector="Dệt thổ cẩm",
        address="Huyện Mai Châu, tỉnh Hòa Bình (nay là tỉnh Phú Thọ)",
        province_id="hoa-binh",
        legal_form=LegalForm.COOPERATIVE,
        area_class=AreaClass.ESPECIALLY_DISADVANTAGED,
    ),
]

CENTRE_BN = "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Bắc Ninh"
CENTRE_PT = "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Phú Thọ"


def bac_ninh_and_phu_tho() -> list[DemoProposal]:
    """Bắc Ninh 2021 (SPEC §8) and this year's work in every state, for the queues and pages."""
    carton = [f["tax_code"] for f in BN_FACILITIES[:3]]
    carton_support = split_exact(1_000 * TRIEU, 3)
    machinery = [f["tax_code"] for f in BN_MACHINERY]
    machinery_support = split_exact(4_200 * TRIEU, 14)
    items = [
        DemoProposal(
            code="BN-2021-QG-001",
            title="Hỗ trợ ứng dụng máy móc thiết bị tiên tiến cho 3 cơ sở sản xuất bao bì carton",
            year=2021,
            province="bac-ninh",
            fund=Fund.NATIONAL,
            content=3,
            kind=Kind.GROUP,
            support_vnd=1_000 * TRIEU,
            counterpart_vnd=6_500 * TRIEU,
            implementing_unit=CENTRE_BN,
            decision_number="2615/QĐ-BCT",
            beneficiaries=[
                (c, s, s * 13 // 2) for c, s in zip(carton, carton_support, strict=True)
            ],
            indicators=[("machinery_facilities", 3)],
        ),
        DemoProposal(
            code="BN-2021-QG-002",
            title="Xây dựng mô hình trình diễn kỹ thuật sản xuất giấy tái chế tại Thuận Thành",
            year=2021,
            province="bac-ninh",
            fund=Fund.NATIONAL,
            content=3,
            kind=Kind.SINGLE,
            support_vnd=900 * TRIEU,
            counterpart_vnd=12_000 * TRIEU,
            implementing_unit="Trung tâm Khuyến công và Tư vấn phát triển công nghiệp khu vực 1",
            regional=1,
            decision_number="2616/QĐ-BCT",
            scale="Công suất 60.000 tấn/năm",
            indicators=[("demo_models", 1), (None, "Công suất mô hình", "tấn/năm", 60_000)],
        ),
        DemoProposal(
            code="BN-2021-DP-001",
            title="Hỗ trợ ứng dụng máy móc thiết bị cho 14 cơ sở công nghiệp nông thôn",
            year=2021,
            province="bac-ninh",
            fund=Fund.PROVINCIAL,
            content=3,
            kind=Kind.GROUP,
            support_vnd=4_200 * TRIEU,
            counterpart_vnd=16_800 * TRIEU,
            implementing_unit=CENTRE_BN,
            decision_number="512/QĐ-SCT",
            beneficiaries=[
                (c, s, s * 4) for c, s in zip(machinery, machinery_support, strict=True)
            ],
            indicators=[("machinery_facilities", 14)],
        ),
    ]
    # This year's flow, one proposal in each live state, for both demo provinces.
    flow = [
        (
            State.DRAFT,
            Fund.PROVINCIAL,
            4,
            "Hỗ trợ tham gia hội chợ hàng công nghiệp nông thôn tiêu biểu",
        ),
        (State.SUBMITTED, Fund.PROVINCIAL, 1, "Đào tạo nghề mây tre đan xuất khẩu"),
        (State.RETURNED, Fund.PROVINCIAL, 6, "Xây dựng chuyên mục khuyến công trên báo tỉnh"),
        (
            State.SUBMITTED,
            Fund.NATIONAL,
            3,
            "Xây dựng mô hình trình diễn kỹ thuật sản xuất chè xanh",
        ),
        (State.APPRAISED, Fund.NATIONAL, 3, "Hỗ trợ ứng dụng dây chuyền sấy nông sản"),
        (State.APPROVED, Fund.PROVINCIAL, 3, "Hỗ trợ máy móc thiết bị cho cơ sở sản xuất đồ gỗ"),
        (State.IN_PROGRESS, Fund.PROVINCIAL, 9, "Tập huấn nghiệp vụ khuyến công cho cán bộ cấp xã"),
    ]
    for slug, prefix, unit, facilities in (
        ("bac-ninh", "BN", CENTRE_BN, BN_FACILITIES[3:]),
        ("phu-tho", "PT", CENTRE_PT, PT_FACILITIES[:3]),
    ):
        for i, (state, fund, content, title) in enumerate(flow, start=1):
            support = (300 + 100 * i) * TRIEU
            p = DemoProposal(
                code=f"{prefix}-2026-{FUND_CODE[fund]}-{i:03d}",
                title=title,
                year=2026,
                province=slug,
                fund=fund,
                content=content,
                support_vnd=support,
                counterpart_vnd=support * 2,
                implementing_unit=unit,
                state=state,
                history=False,
                decision_number=f"{30 + i}/QĐ-SCT"
                if "approve" in lifecycle.path_to(state, fund)
                else "",
            )
            if content == 3:
                facility = facilities[i % len(facilities)]["tax_code"]
                p.beneficiaries = [(facility, support, support * 2)]
                p.indicators = (
                    [("demo_models", 1)] if p.activity == "demo_model" else [("machines", 2 + i)]
                )
            items.append(p)
    # History of the provinces Phú Thọ succeeded: entered under the province of its year.
    items += [
        DemoProposal(
            code="HB-2023-QG-001",
            title="Hỗ trợ phát triển nghề dệt thổ cẩm Mai Châu",
            year=2023,
            province="hoa-binh",
            fund=Fund.NATIONAL,
            content=1,
            support_vnd=450 * TRIEU,
            counterpart_vnd=300 * TRIEU,
            decision_number="1530/QĐ-BCT",
            implementing_unit="Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Hòa Bình",
            beneficiaries=[("5400500001", 450 * TRIEU, 300 * TRIEU)],
        ),
        DemoProposal(
            code="VP-2024-DP-001",
            title="Hỗ trợ máy cắt CNC cho cơ sở cơ khí Vĩnh Yên",
            year=2024,
            province="vinh-phuc",
            fund=Fund.PROVINCIAL,
            content=3,
            support_vnd=350 * TRIEU,
            counterpart_vnd=1_400 * TRIEU,
            decision_number="88/QĐ-SCT",
            implementing_unit="Trung tâm Khuyến công Vĩnh Phúc",
            beneficiaries=[("2500400001", 350 * TRIEU, 1_400 * TRIEU)],
        ),
    ]
    return items


NATIONWIDE = [
    ("ha-noi", "Hà Nội"),
    ("nghe-an", "Nghệ An"),
    ("thanh-hoa", "Thanh Hóa"),
    ("lao-cai", "Lào Cai"),
    ("quang-ninh", "Quảng Ninh"),
    ("dak-lak", "Đắk Lắk"),
    ("can-tho", "Cần Thơ"),
    ("hue", "Huế"),
    ("son-la", "Sơn La"),
    ("ca-mau", "Cà Mau"),
]


def nationwide_2021_2025() -> list[DemoProposal]:
    """A few national-fund proposals in ten other provinces, so national pages show the country."""
    items = []
    for n, (slug, name) in enumerate(NATIONWIDE):
        for k in range(4):
            year = 2021 + (n + k) % 5
            content = [1, 3, 4, 6][k]
            support = (200 + 50 * ((n * 4 + k) % 9)) * TRIEU
            items.append(
                DemoProposal(
                    code=f"QG-{year}-{slug.upper()[:6]}-{k + 1:02d}",
                    title=TITLES[content].format(
                        district=name, product=BG_PRODUCTS[(n + k) % len(BG_PRODUCTS)]
                    ),
                    year=year,
                    province=slug,
                    fund=Fund.NATIONAL,
                    content=content,
                    support_vnd=support,
                    counterpart_vnd=support * (2 + (n + k) % 6),
                    state=State.SETTLED if year < 2024 else State.ACCEPTED,
                    implementing_unit=f"Trung tâm Khuyến công {name}",
                    decision_number=f"{300 + n * 4 + k}/QĐ-BCT",
                )
            )
    return items


def bac_giang_2021_2025() -> list[DemoProposal]:
    """National proposals that follow up Bắc Giang's 2021–2025 plan (SPEC §8) in its own
    outputs: 2 of 5 demonstration models, 6 of 42 facilities with machinery (8 more under
    way), 1 of 2 cluster detailed plans."""

    def facilities(first, count, support):
        return [(f"24{i:08d}", support, support * 4) for i in range(first, first + count)]

    common = dict(province="bac-giang", fund=Fund.NATIONAL, implementing_unit=CENTRE_BG)
    return [
        DemoProposal(
            code="BG-2021-QG-001",
            title="Xây dựng mô hình trình diễn kỹ thuật sản xuất tấm lợp cách nhiệt, Việt Yên",
            year=2021,
            content=3,
            support_vnd=1_500 * TRIEU,
            counterpart_vnd=6_000 * TRIEU,
            decision_number="1021/QĐ-BCT",
            indicators=[("demo_models", 1)],
            **common,
        ),
        DemoProposal(
            code="BG-2022-QG-001",
            title="Hỗ trợ ứng dụng máy móc thiết bị tiên tiến cho 6 cơ sở công nghiệp nông thôn",
            year=2022,
            content=3,
            kind=Kind.GROUP,
            support_vnd=1_200 * TRIEU,
            counterpart_vnd=4_800 * TRIEU,
            decision_number="1122/QĐ-BCT",
            beneficiaries=facilities(1, 6, 200 * TRIEU),
            indicators=[("machinery_facilities", 6), ("machines", 12)],
            **common,
        ),
        DemoProposal(
            code="BG-2023-QG-001",
            title="Xây dựng mô hình trình diễn kỹ thuật chế biến vải thiều sấy, Lục Ngạn",
            year=2023,
            content=3,
            state=State.ACCEPTED,
            support_vnd=1_400 * TRIEU,
            counterpart_vnd=5_600 * TRIEU,
            decision_number="1223/QĐ-BCT",
            indicators=[("demo_models", 1)],
            **common,
        ),
        DemoProposal(
            code="BG-2023-QG-002",
            title="Lập quy hoạch chi tiết cụm công nghiệp Hợp Thịnh",
            year=2023,
            content=7,
            activity="cluster_planning",
            state=State.ACCEPTED,
            support_vnd=600 * TRIEU,
            counterpart_vnd=0,
            decision_number="1224/QĐ-BCT",
            indicators=[("cluster_plans", 1)],
            **common,
        ),
        DemoProposal(
            code="BG-2024-QG-001",
            title="Hỗ trợ ứng dụng máy móc thiết bị tiên tiến cho 8 cơ sở công nghiệp nông thôn",
            year=2024,
            content=3,
            kind=Kind.GROUP,
            state=State.IN_PROGRESS,
            support_vnd=1_600 * TRIEU,
            counterpart_vnd=6_400 * TRIEU,
            decision_number="1324/QĐ-BCT",
            beneficiaries=facilities(7, 8, 200 * TRIEU),
            indicators=[("machinery_facilities", 8)],
            **common,
        ),
    ]


def _allocations(proposals: list[DemoProposal]) -> list[tuple]:
    """Allocations that cover the approved history, plus the figures SPEC §8 states."""
    approved: dict[tuple, int] = {}
    for p in proposals:
        if p.counted:
            key = (p.province, p.year, p.fund)
            approved[key] = approved.get(key, 0) + p.support_vnd
    rows = {key: -(-amount // (100 * TRIEU)) * 100 * TRIEU for key, amount in approved.items()}
    rows[("bac-ninh", 2021, Fund.NATIONAL)] = 1_900 * TRIEU
    rows[("bac-ninh", 2021, Fund.PROVINCIAL)] = 4_500 * TRIEU
    for slug in ("bac-ninh", "phu-tho"):
        rows[(slug, 2026, Fund.NATIONAL)] = 3_000 * TRIEU
        rows[(slug, 2026, Fund.PROVINCIAL)] = 5_000 * TRIEU
        rows[(slug, 2026, Fund.DISTRICT)] = 800 * TRIEU
    return [(slug, year, fund, amount) for (slug, year, fund), amount in sorted(rows.items())]


def _plans():
    """Period plans: (province, fund, first year, last year, target support, target number of
    proposals, note, targets), each target a dict of PlanTarget fields keyed as SPEC §3."""
    return [
        (
            "bac-giang",
            Fund.PROVINCIAL,
            2016,
            2020,
            20_400 * TRIEU,
            None,
            "Kế hoạch khuyến công địa phương giai đoạn 2016–2020",
            [],
        ),
        (
            "bac-giang",
            Fund.NATIONAL,
            2021,
            2025,
            27_700 * TRIEU,
            None,
            "Kế hoạch khuyến công quốc gia giai đoạn 2021–2025",
            [
                {
                    "indicator_id": "demo_models",
                    "count": 5,
                    "unit": "mô hình",
                    "description": "Mô hình trình diễn kỹ thuật",
                },
                {
                    "indicator_id": "machinery_facilities",
                    "count": 42,
                    "unit": "cơ sở",
                    "description": "Cơ sở được hỗ trợ ứng dụng máy móc thiết bị tiên tiến",
                },
                {
                    "indicator_id": "cleaner_production_pilots",
                    "count": 1,
                    "unit": "mô hình",
                    "description": "Mô hình thí điểm sản xuất sạch hơn",
                },
                {
                    "indicator_id": "cluster_plans",
                    "count": 2,
                    "unit": "cụm",
                    "description": "Quy hoạch chi tiết cụm công nghiệp",
                },
                {
                    "indicator_id": "clusters_upgraded",
                    "count": 2,
                    "unit": "cụm",
                    "description": "Nâng cấp hệ thống xử lý ô nhiễm môi trường cụm công nghiệp",
                },
                {
                    "indicator_id": "relocated_facilities",
                    "count": 3,
                    "unit": "cơ sở",
                    "description": "Hỗ trợ lãi suất di dời cơ sở gây ô nhiễm",
                },
            ],
        ),
        (
            "bac-ninh",
            Fund.PROVINCIAL,
            2021,
            2025,
            25_000 * TRIEU,
            100,
            "Kế hoạch khuyến công địa phương giai đoạn 2021–2025",
            [{"indicator_id": "machinery_facilities", "count": 60, "unit": "cơ sở"}],
        ),
        (
            "phu-tho",
            Fund.PROVINCIAL,
            2026,
            2030,
            30_000 * TRIEU,
            None,
            "Kế hoạch khuyến công địa phương giai đoạn 2026–2030",
            [
                {"indicator_id": "trainees", "count": 1_500, "unit": "người"},
                {"activity_id": "vocational_training", "count": 50, "unit": "đề án"},
            ],
        ),
    ]


def _upsert_facilities(rows: list[dict]) -> dict[str, int]:
    objs = []
    for row in rows:
        row = {"legal_form": LegalForm.SME, "province_id": "bac-ninh", **row}
        if "province_id" not in row:
            row["province_id"] = "bac-ninh"
        obj = Facility(**row)
        obj.search_text = Facility.build_search_text(obj.name, obj.tax_code, obj.address)
        objs.append(obj)
    Facility.objects.bulk_create(
        objs,
        update_conflicts=True,
        unique_fields=["tax_code"],
        update_fields=[
            "name",
            "legal_form",
            "province",
            "address",
            "sector",
            "employees",
            "area_class",
            "search_text",
        ],
    )
    return dict(
        Facility.objects.filter(tax_code__in=[r["tax_code"] for r in rows]).values_list(
            "tax_code", "id"
        )
    )


def _date(year, month, day):
    return datetime.date(year, month, min(day, 28))


def _unit_ids() -> tuple[dict[str, int], dict[int, int]]:
    """The seeded provincial centres by province and regional centres by number."""
    centres = dict(Unit.objects.filter(kind=Unit.Kind.CENTRE).values_list("province_id", "pk"))
    regional = {
        n: Unit.objects.get(kind=Unit.Kind.REGIONAL_CENTRE, name__endswith=f"khu vực {n}").pk
        for n in (1, 2, 3)
    }
    return centres, regional


def _upsert_proposals(items: list[DemoProposal], users: dict) -> dict[str, int]:
    centres, regional = _unit_ids()
    objs = []
    for p in items:
        counted = p.counted
        obj = Proposal(
            code=p.code,
            title=p.title,
            year=p.year,
            province_id=p.province,
            fund_id=p.fund,
            content_id=p.content,
            activity_id=p.activity,
            kind=p.kind,
            unit_id=regional[p.regional] if p.regional else centres[p.province],
            implementing_unit=p.implementing_unit,
            objectives="Nâng cao năng lực sản xuất, chất lượng sản phẩm và thu nhập cho người "
            "lao động khu vực nông thôn.",
            scale=p.scale,
            schedule=f"Thực hiện từ quý II đến quý IV năm {p.year}.",
            start_date=_date(p.year, 4, 1),
            end_date=_date(p.year, 11, 30),
            support_vnd=p.support_vnd,
            counterpart_vnd=p.counterpart_vnd,
            other_vnd=p.other_vnd,
            state=p.state,
            decision_number=p.decision_number if counted else "",
            decision_date=_date(p.year, 3, 15) if counted else None,
            approved_support_vnd=p.support_vnd if counted else None,
            created_by=users["centre.bacninh" if p.province == "bac-ninh" else "centre.phutho"]
            if not p.history
            else None,
        )
        if counted:
            obj.record_final_figures(p.support_vnd, p.counterpart_vnd, p.other_vnd)
        obj.search_text = Proposal.build_search_text(obj.code, obj.title, obj.implementing_unit)
        objs.append(obj)
    Proposal.objects.bulk_create(
        objs,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=[
            "title",
            "year",
            "province",
            "fund",
            "content",
            "activity",
            "kind",
            "unit",
            "implementing_unit",
            "objectives",
            "scale",
            "schedule",
            "start_date",
            "end_date",
            "support_vnd",
            "counterpart_vnd",
            "other_vnd",
            "state",
            "decision_number",
            "decision_date",
            "approved_support_vnd",
            "final_support_vnd",
            "final_counterpart_vnd",
            "final_other_vnd",
            "search_text",
            "created_by",
        ],
    )
    ids = dict(Proposal.objects.filter(code__in=[p.code for p in items]).values_list("code", "id"))
    # A regional centre works with the province's centre as its partner.
    Proposal.partners.through.objects.bulk_create(
        [
            Proposal.partners.through(proposal_id=ids[p.code], unit_id=centres[p.province])
            for p in items
            if p.regional
        ],
        ignore_conflicts=True,
    )
    return ids


COMMENTS = {
    "return": "Đề nghị bổ sung dự toán chi tiết và hồ sơ năng lực của đơn vị thực hiện.",
    "forward": "Hồ sơ đầy đủ, đề nghị Bộ Công Thương xem xét phê duyệt.",
}


def _write_events(items: list[DemoProposal], ids: dict[str, int], users: dict) -> None:
    """Events only for proposals that have none yet: events are never rewritten."""
    with_events = set(
        ProposalEvent.objects.filter(proposal_id__in=ids.values()).values_list(
            "proposal_id", flat=True
        )
    )
    events = []
    for p in items:
        pid = ids[p.code]
        if pid in with_events:
            continue
        if p.history:
            events.append(
                ProposalEvent(
                    proposal_id=pid,
                    action=IMPORT_ACTION,
                    from_state=State.DRAFT,
                    to_state=p.state,
                    comment="Nhập từ báo cáo tổng kết của địa phương (dữ liệu lịch sử).",
                    support_vnd=p.support_vnd if p.counted else None,
                    counterpart_vnd=p.counterpart_vnd if p.counted else None,
                    other_vnd=p.other_vnd if p.counted else None,
                    decision_number=p.decision_number if p.counted else "",
                )
            )
            continue
        prefix = "bacninh" if p.province == "bac-ninh" else "phutho"
        actors = {
            Role.CENTRE: f"centre.{prefix}",
            Role.DEPARTMENT: f"dept.{prefix}",
            Role.MINISTRY: "ministry",
        }
        # The way the lifecycle table leads to the proposal's state, step by step.
        state = State.DRAFT
        for action in lifecycle.path_to(p.state, p.fund):
            step = lifecycle.row_for(state, action, p.fund)
            from_state, state = state, step.target
            approve = action == "approve"
            events.append(
                ProposalEvent(
                    proposal_id=pid,
                    action=action,
                    from_state=from_state,
                    to_state=state,
                    actor=users[actors[step.role]],
                    comment=COMMENTS.get(action, ""),
                    support_vnd=p.support_vnd if approve else None,
                    counterpart_vnd=p.counterpart_vnd if approve else None,
                    other_vnd=p.other_vnd if approve else None,
                    decision_number=p.decision_number if approve else "",
                    decision_date=_date(p.year, 3, 15) if approve else None,
                )
            )
    ProposalEvent.objects.bulk_create(events)


def _start_history(model, ids) -> None:
    """Give bulk-created rows their first history record, so later edits show as diffs."""
    have = set(model.history.filter(id__in=ids).values_list("id", flat=True))
    missing = list(model.objects.filter(id__in=ids).exclude(id__in=have))
    model.history.bulk_history_create(
        missing, default_change_reason="Dữ liệu mẫu", default_date=timezone.now()
    )


def _live_implementation(users) -> None:
    """The in-progress demo proposals get last month's progress report and a paid advance."""
    today = timezone.localdate()
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    for prefix in ("bacninh", "phutho"):
        code = f"{'BN' if prefix == 'bacninh' else 'PT'}-2026-DP-007"
        proposal = Proposal.objects.get(code=code)
        ProgressReport.objects.get_or_create(
            proposal=proposal,
            month=last_month,
            defaults={
                "percent_complete": 40,
                "narrative": "Đã tổ chức 2/5 lớp tập huấn cho cán bộ khuyến công cấp xã.",
                "created_by": users[f"centre.{prefix}"],
            },
        )
        if not proposal.payments.exists():
            Payment.objects.create(
                proposal=proposal,
                kind=Payment.Kind.ADVANCE,
                amount_vnd=proposal.approved_support_vnd // 2,
                note="Tạm ứng đợt 1 (50 %)",
                state=Payment.Status.APPROVED,
                requested_by=users[f"centre.{prefix}"],
                decided_by=users[f"dept.{prefix}"],
                decided_at=timezone.now(),
            )


@transaction.atomic
def load_demo(password: str | None = None) -> dict:
    """Create or refresh all demo data; returns counts of what the demo holds."""
    users = create_demo_accounts(password)

    facility_rows = (
        bac_giang_facilities()
        + thai_nguyen_facilities()
        + [{"province_id": "bac-ninh", **f} for f in BN_FACILITIES + BN_MACHINERY]
        + [{"province_id": "phu-tho", **f} for f in PT_FACILITIES]
    )
    facility_ids = _upsert_facilities(facility_rows)

    items = bac_giang_2016_2020() + thai_nguyen_2012_2022(thai_nguyen_facilities())
    items += bac_ninh_and_phu_tho() + nationwide_2021_2025() + bac_giang_2021_2025()
    proposal_ids = _upsert_proposals(items, users)

    beneficiaries = [
        Beneficiary(
            proposal_id=proposal_ids[p.code],
            facility_id=facility_ids[tax_code],
            support_vnd=support,
            counterpart_vnd=counterpart,
        )
        for p in items
        for tax_code, support, counterpart in p.beneficiaries
    ]
    Beneficiary.objects.bulk_create(
        beneficiaries,
        update_conflicts=True,
        unique_fields=["proposal", "facility"],
        update_fields=["support_vnd", "counterpart_vnd"],
    )
    # Indicators are the demo's own: replaced whole, so a second run leaves the same rows.
    OutcomeIndicator.objects.filter(proposal_id__in=proposal_ids.values()).delete()
    OutcomeIndicator.objects.bulk_create(
        row for p in items for row in p.outcome_rows(proposal_ids[p.code])
    )
    _write_events(items, proposal_ids, users)
    _start_history(Facility, facility_ids.values())
    _start_history(Proposal, proposal_ids.values())
    _live_implementation(users)

    for slug, year, fund, amount in _allocations(items):
        Allocation.objects.update_or_create(
            province_id=slug,
            year=year,
            fund_id=fund,
            defaults={"amount_vnd": amount, "decision_number": f"QĐ phân bổ năm {year}"},
        )
    for slug, fund, year_from, year_to, target, proposals, note, targets in _plans():
        plan, _created = Plan.objects.update_or_create(
            province_id=slug,
            fund_id=fund,
            year_from=year_from,
            year_to=year_to,
            defaults={"target_support_vnd": target, "target_proposals": proposals, "note": note},
        )
        # The targets as listed, whatever an earlier load (or a user) left.
        plan.targets.all().delete()
        PlanTarget.objects.bulk_create(PlanTarget(plan=plan, **row) for row in targets)
    datacache.changed()  # the bulk upserts above send no signal
    return {
        "users": len(users),
        "facilities": len(facility_ids),
        "proposals": len(proposal_ids),
        "beneficiaries": len(beneficiaries),
    }
