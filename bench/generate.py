"""Realistic national volumes for benchmarks: `manage.py generate_data --proposals 100000`
(with `--settings=bench.settings`: the command belongs to the bench app, never deployed).

Ten-odd years (2012–2026) of every province that existed in each year (the 29 absorbed ones up
to 2025), all three funds (district-level only up to 2025), all nine contents and all eleven
states in the proportions of a real programme: old years settled, this year still moving. Each
proposal gets events that walk the lifecycle to its state, with the amounts each step decided;
counted ones get their acceptance, settlement and payments; beneficiaries are new facilities
(unique tax codes, legal forms as the provinces report them), sometimes supported again.
Allocations cover what was approved; period plans carry targets.

Only bulk inserts (`bulk_create` in batches), one transaction, chunk by chunk so memory stays
flat. The same seed and size give the same rows. Generated rows are recognisable (proposal codes
`G<seed>-…`, tax codes `8…`, users `gen.…`), so `clear()` removes exactly them.
"""

import datetime
import enum
import math
import random
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import connection, reset_queries, transaction

from bench import bulk
from demo.data import TITLES
from facilities.models import AreaClass, Facility, LegalForm
from funding.models import Allocation, Fund, Plan, PlanTarget
from khuyencong import append_only, datacache
from khuyencong.models import Membership, Province, Unit
from khuyencong.roles import Role
from proposals import budget, lifecycle
from proposals.lifecycle import COUNTED_STATES
from proposals.models import (
    Acceptance,
    Beneficiary,
    Kind,
    OutcomeIndicator,
    Payment,
    Proposal,
    ProposalEvent,
    Settlement,
    State,
)

FIRST_YEAR, LAST_YEAR = 2012, 2026
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# Generated history ends here, whatever today is, so a seed always gives the same rows.
AS_OF = datetime.datetime(2026, 11, 15, 17, 0, tzinfo=TZ)
TRIEU = 1_000_000
UNIT = 100_000  # amounts are multiples of 0,1 triệu, as decisions write them
TAX_PREFIX = "8"
USER_PREFIX = "gen."
PLAN_NOTE = "Sinh tự động"
ALLOCATION_MARK = "G-"
CHUNK = 5_000

FUND_CODE = {Fund.NATIONAL: "QG", Fund.PROVINCIAL: "DP", Fund.DISTRICT: "HX"}


def code_prefix(seed: int) -> str:
    return f"G{seed}-"


# --- Proportions -------------------------------------------------------------------------------

# More work each year as the programme grew; the current year is not over.
YEAR_WEIGHT = {year: 1 + 0.04 * (year - FIRST_YEAR) for year in range(FIRST_YEAR, LAST_YEAR + 1)}
YEAR_WEIGHT[LAST_YEAR] *= 0.85

# Bắc Giang 2016–2020: 17 national, 132 provincial, 148 district (SPEC §8).
FUND_WEIGHT = {
    "early": {Fund.NATIONAL: 12, Fund.PROVINCIAL: 40, Fund.DISTRICT: 48},
    2025: {Fund.NATIONAL: 14, Fund.PROVINCIAL: 60, Fund.DISTRICT: 26},  # districts end 1/7
    2026: {Fund.NATIONAL: 18, Fund.PROVINCIAL: 82},
}

CONTENT_WEIGHT = {
    Fund.NATIONAL: {1: 10, 2: 8, 3: 48, 4: 10, 5: 4, 6: 5, 7: 9, 8: 3, 9: 3},
    Fund.PROVINCIAL: {1: 20, 2: 8, 3: 30, 4: 11, 5: 6, 6: 12, 7: 4, 8: 1, 9: 8},
    Fund.DISTRICT: {1: 26, 2: 6, 3: 28, 4: 12, 5: 6, 6: 14, 7: 2, 8: 0, 9: 6},
}

S = State
# By the age of the proposal's year: old work is settled, this year's is still moving.
STATE_WEIGHT = {
    "old": {S.SETTLED: 85, S.ACCEPTED: 2, S.CANCELLED: 2, S.REJECTED: 6, S.WITHDRAWN: 5},
    2: {
        S.SETTLED: 68,
        S.ACCEPTED: 15,
        S.IN_PROGRESS: 2,
        S.CANCELLED: 3,
        S.REJECTED: 7,
        S.WITHDRAWN: 5,
    },
    1: {
        S.SETTLED: 25,
        S.ACCEPTED: 30,
        S.IN_PROGRESS: 22,
        S.APPROVED: 3,
        S.CANCELLED: 3,
        S.REJECTED: 11,
        S.WITHDRAWN: 6,
    },
    0: {
        S.DRAFT: 12,
        S.SUBMITTED: 12,
        S.RETURNED: 5,
        S.APPRAISED: 6,  # national fund only; others stay submitted
        S.APPROVED: 14,
        S.IN_PROGRESS: 30,
        S.ACCEPTED: 8,
        S.REJECTED: 6,
        S.WITHDRAWN: 4,
        S.CANCELLED: 3,
    },
}

# Thái Nguyên 2012–2022: 186 households, 90 SMEs, 67 other, 7 cooperative groups (SPEC §8),
# plus the cooperatives other provinces report.
LEGAL_FORM_WEIGHT = {
    LegalForm.HOUSEHOLD: 50,
    LegalForm.SME: 25,
    LegalForm.OTHER: 17,
    LegalForm.COOPERATIVE: 6,
    LegalForm.COOP_GROUP: 2,
}
EMPLOYEES = {
    LegalForm.HOUSEHOLD: (2, 15),
    LegalForm.SME: (10, 300),
    LegalForm.OTHER: (3, 40),
    LegalForm.COOPERATIVE: (10, 80),
    LegalForm.COOP_GROUP: (5, 30),
}
AREA_WEIGHT = {
    AreaClass.NORMAL: 70,
    AreaClass.DISADVANTAGED: 20,
    AreaClass.ESPECIALLY_DISADVANTAGED: 10,
}

# Support per proposal, in triệu, drawn log-uniformly: (fund, content) → (low, high).
SUPPORT_RANGE = {
    Fund.NATIONAL: {3: (300, 3_000), 7: (500, 5_000), 1: (150, 600), None: (100, 800)},
    Fund.PROVINCIAL: {3: (100, 1_000), 7: (200, 2_000), 1: (50, 300), None: (30, 400)},
    Fund.DISTRICT: {3: (30, 300), 7: (50, 400), None: (20, 150)},
}

# --- Words -------------------------------------------------------------------------------------

PRODUCTS = [
    "mây tre đan",
    "gốm sứ",
    "đồ gỗ mỹ nghệ",
    "cơ khí nông cụ",
    "chế biến chè",
    "chế biến nông sản",
    "dệt thổ cẩm",
    "may mặc",
    "bánh kẹo truyền thống",
    "nước mắm",
    "rượu truyền thống",
    "gạch không nung",
    "bao bì carton",
    "chế biến gỗ",
    "sơn mài",
    "thêu ren",
    "đúc đồng",
    "chế biến thủy sản",
    "mộc dân dụng",
    "bún, bánh phở",
]
PLACES = [
    "Tân Lập",
    "Yên Thịnh",
    "Phú Lộc",
    "Hưng Đạo",
    "Quang Trung",
    "Đồng Tâm",
    "Tân Tiến",
    "Thanh Bình",
    "Hòa An",
    "Minh Khai",
    "Kim Sơn",
    "Vĩnh Hưng",
    "Phúc Thịnh",
    "An Lạc",
    "Đông Hưng",
    "Tiên Phong",
    "Hợp Thành",
    "Xuân Lâm",
    "Trung Sơn",
    "Bình Minh",
]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Quang", "Hữu", "Thu", "Ngọc"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hùng", "Lan", "Mai", "Nam", "Sơn", "Yến"]
BRANDS = [
    "Hưng Thịnh",
    "Phát Đạt",
    "Thành Công",
    "Minh Long",
    "An Phú",
    "Tân Tiến",
    "Đại Phát",
    "Kim Long",
    "Bảo An",
    "Việt Hưng",
    "Trường Sơn",
    "Hoàng Gia",
]
FORM_NAME = {
    LegalForm.SME: "Công ty TNHH",
    LegalForm.COOPERATIVE: "Hợp tác xã",
    LegalForm.COOP_GROUP: "Tổ hợp tác",
    LegalForm.OTHER: "Cơ sở sản xuất",
}
# The SPEC §3.2 indicator (catalogue key) a proposal of each content plans, and its range.
INDICATORS = {
    1: ("trainees", (20, 150)),
    3: ("machines", (1, 12)),
    4: ("typical_products", (5, 60)),
    7: ("relocated_facilities", (1, 10)),
}
# The SPEC §3.1 activity types of each content; a proposal takes one by its serial number
# (not from the random stream, so the rest of a seed's data stays as it was).
ACTIVITIES = {
    1: ("vocational_training",),
    2: ("management_training", "cleaner_production_capacity", "market_development"),
    3: ("machinery", "demo_model", "machinery", "tech_transfer", "machinery"),
    4: ("typical_product_contest", "fair", "brand_packaging", "showroom"),
    5: ("consultancy",),
    6: ("communication",),
    7: ("linkage", "cluster_planning", "cluster_infrastructure", "relocation_interest"),
    8: ("international",),
    9: ("staff_training", "study_tour", "programme_management"),
}
PLAN_TARGETS = {
    1: ("Lao động được đào tạo nghề", "người", 60),
    3: ("Cơ sở được hỗ trợ ứng dụng máy móc thiết bị tiên tiến", "cơ sở", 1),
    4: ("Sản phẩm công nghiệp nông thôn tiêu biểu", "sản phẩm", 8),
    7: ("Cụm công nghiệp được hỗ trợ quy hoạch, hạ tầng", "cụm", 1),
}
COMMENTS = {
    "return": "Đề nghị bổ sung dự toán chi tiết và hồ sơ năng lực của đơn vị thực hiện.",
    "reject": "Đề án chưa phù hợp với định hướng hỗ trợ của năm kế hoạch.",
    "withdraw": "Đơn vị rút đề án để điều chỉnh quy mô, sẽ đề xuất lại năm sau.",
    "cancel": "Cơ sở thụ hưởng không bố trí được vốn đối ứng.",
    "forward": "Hồ sơ đầy đủ, đề nghị Bộ Công Thương xem xét phê duyệt.",
}


@dataclass
class Result:
    seed: int
    proposals: int = 0
    facilities: int = 0
    beneficiaries: int = 0
    events: int = 0
    allocations: int = 0
    plans: int = 0
    seconds: float = 0.0
    skipped: bool = False

    def describe(self) -> str:
        if self.skipped:
            return f"{self.proposals} proposals (seed {self.seed}) already there; nothing written."
        return (
            f"{self.proposals} proposals, {self.facilities} facilities, "
            f"{self.beneficiaries} beneficiaries, {self.events} events, "
            f"{self.allocations} allocations, {self.plans} plans "
            f"(seed {self.seed}) in {self.seconds:.1f} s."
        )


class AlreadyGenerated(Exception):
    """Generated data of another seed or size is there; clear it first."""


def existing() -> tuple[int, int] | None:
    """(seed, proposals) of the generated data in the database, or None."""
    codes = Proposal.objects.filter(code__regex=r"^G[0-9]+-").values_list("code", flat=True)
    first = codes.order_by("id").first()
    if first is None:
        return None
    seed = int(first[1 : first.index("-")])
    return seed, Proposal.objects.filter(code__startswith=code_prefix(seed)).count()


def clear(log=print) -> None:
    """Delete every generated row (and nothing else), children first, in plain SQL.

    Plain SQL: the ORM would load 100 000 proposals to run their delete signals, and the
    edit-history signal would write a history row for each.
    """
    found = existing()
    if found is None:
        return
    t = _tables()
    generated = f"SELECT id FROM {t['proposal']} WHERE code LIKE %s"
    pattern = [code_prefix(found[0]) + "%"]
    statements = [
        # Generated facilities are exactly those that only generated proposals supported.
        (
            f"CREATE TEMPORARY TABLE gen_facility AS SELECT DISTINCT facility_id"
            f" FROM {t['beneficiary']} WHERE proposal_id IN ({generated})",
            pattern,
        ),
        *(
            (f"DELETE FROM {t[name]} WHERE proposal_id IN ({generated})", pattern)
            for name in ("event", "payment", "acceptance", "settlement", "beneficiary", "indicator")
        ),
        (f"DELETE FROM {t['proposal']} WHERE code LIKE %s", pattern),
        (
            f"DELETE FROM {t['facility']} WHERE id IN (SELECT facility_id FROM gen_facility)"
            f" AND id NOT IN (SELECT facility_id FROM {t['beneficiary']})",
            [],
        ),
        (
            f"DELETE FROM {t['target']} WHERE plan_id IN"
            f" (SELECT id FROM {t['plan']} WHERE note LIKE %s)",
            [PLAN_NOTE + "%"],
        ),
        (f"DELETE FROM {t['plan']} WHERE note LIKE %s", [PLAN_NOTE + "%"]),
        (f"DELETE FROM {t['allocation']} WHERE decision_number LIKE %s", [ALLOCATION_MARK + "%"]),
        (
            f"DELETE FROM {t['membership']} WHERE user_id IN"
            f" (SELECT id FROM {t['user']} WHERE username LIKE %s)",
            [USER_PREFIX + "%"],
        ),
        (f"DELETE FROM {t['user']} WHERE username LIKE %s", [USER_PREFIX + "%"]),
        ("DROP TABLE gen_facility", []),
    ]
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        append_only.allow_erasure()  # generated events never happened: they may go
        for sql, params in statements:
            cursor.execute(sql, params)
        datacache.changed()  # plain SQL sends no signal
    log(f"Cleared generated data (seed {found[0]}) in {time.monotonic() - started:.1f} s.")


def _tables() -> dict[str, str]:
    models = {
        "proposal": Proposal,
        "beneficiary": Beneficiary,
        "indicator": OutcomeIndicator,
        "event": ProposalEvent,
        "payment": Payment,
        "acceptance": Acceptance,
        "settlement": Settlement,
        "facility": Facility,
        "plan": Plan,
        "target": PlanTarget,
        "allocation": Allocation,
        "membership": Membership,
        "user": get_user_model(),
    }
    return {name: connection.ops.quote_name(m._meta.db_table) for name, m in models.items()}


def generate(proposals: int, seed: int = 1, *, clear_first: bool = False, log=print) -> Result:
    """Write `proposals` generated proposals and everything around them; see the module doc.

    Skips when the same seed and size are already there; raises AlreadyGenerated when other
    generated data is there, unless `clear_first`.
    """
    found = existing()
    if found == (seed, proposals) and not clear_first:
        return Result(seed=seed, proposals=proposals, skipped=True)
    if found is not None:
        if not clear_first:
            raise AlreadyGenerated(
                f"Generated data with seed {found[0]} ({found[1]} proposals) is already there; "
                "use --clear to replace it."
            )
        clear(log=log)
    started = time.monotonic()
    with transaction.atomic(), _timestamps_as_given():
        world = _World(seed, log)
        result = world.write(proposals)
        datacache.changed()  # COPY and bulk_create send no signal
    result.seconds = time.monotonic() - started
    _analyze()
    return result


def _analyze() -> None:
    """Leave the tables as autovacuum would: planner statistics, and on PostgreSQL the
    visibility map too (index-only scans), instead of waiting for it after a bulk load."""
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")  # VACUUM: not in a transaction


@contextmanager
def _timestamps_as_given():
    """Let bulk_create keep the historic timestamps we set (auto_now would write today)."""
    fields = [
        Proposal._meta.get_field("created_at"),
        Proposal._meta.get_field("updated_at"),
        ProposalEvent._meta.get_field("at"),
        Facility._meta.get_field("created_at"),
        Payment._meta.get_field("requested_at"),
        Acceptance._meta.get_field("created_at"),
        Settlement._meta.get_field("created_at"),
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


# --- The generator -----------------------------------------------------------------------------


@dataclass
class _Draft:
    """A proposal before it is written (rows are dicts keyed by attname; see bench.bulk)."""

    proposal: dict
    facilities: list = field(default_factory=list)  # facility rows (new) or ids (supported before)
    shares: list = field(default_factory=list)  # (support, counterpart) per facility
    events: list = field(default_factory=list)
    extras: list = field(default_factory=list)  # (model, row): indicators, acceptance, payments…


class _World:
    def __init__(self, seed: int, log):
        self.seed = seed
        self.rng = random.Random(seed)
        self.log = log
        self.serial = 0
        self.tax_serial = self._first_tax_serial()
        provinces = list(Province.objects.order_by("slug"))
        self.provinces = {p.slug: p for p in provinces}
        # Some provinces are bigger than others; a merged province carries its parts' weight.
        self.weight = {p.slug: self.rng.lognormvariate(0, 0.45) for p in provinces}
        for p in provinces:
            if p.successor_id:
                self.weight[p.successor_id] += self.weight[p.slug]
        self.users = self._users(provinces)
        # Implementing units: each province's centre; a third of national proposals go to the
        # regional centre serving the province (deterministic: the random stream stays as it was).
        self.centres = dict(
            Unit.objects.filter(kind=Unit.Kind.CENTRE).values_list("province_id", "pk")
        )
        self.regional = dict(
            Unit.objects.filter(kind=Unit.Kind.REGIONAL_CENTRE).values_list(
                "provinces_served", "pk"
            )
        )
        self.pool = defaultdict(list)  # province slug → facilities supported so far
        # (province, year, fund) → approved support, for allocations.
        self.committed = defaultdict(int)
        # (province, fund or content, first year of the plan period) → support, proposals.
        self.support_by_period = defaultdict(int)
        self.count_by_period = defaultdict(int)
        self.result = Result(seed=seed)

    def _first_tax_serial(self) -> int:
        last = (
            Facility.objects.filter(tax_code__startswith=TAX_PREFIX, tax_code__regex=r"^[0-9]+$")
            .order_by("-tax_code")
            .values_list("tax_code", flat=True)
            .first()
        )
        return int(last[1:]) + 1 if last else 1

    def _users(self, provinces) -> dict[str, int]:
        """A centre and a department account per province of today, and the ministry."""
        User = get_user_model()
        wanted = {f"{USER_PREFIX}ministry": (Role.MINISTRY, None, "Cục Khuyến công")}
        for p in provinces:
            if not p.successor_id:
                wanted[f"{USER_PREFIX}centre.{p.slug}"] = (Role.CENTRE, p.slug, "Trung tâm")
                wanted[f"{USER_PREFIX}department.{p.slug}"] = (Role.DEPARTMENT, p.slug, "Sở")
        existing_users = set(
            User.objects.filter(username__in=wanted).values_list("username", flat=True)
        )
        User.objects.bulk_create(
            User(username=name, first_name=f"{label} (dữ liệu sinh)", password="!")
            for name, (_role, _slug, label) in wanted.items()
            if name not in existing_users
        )
        users = dict(User.objects.filter(username__in=wanted).values_list("username", "id"))
        Membership.objects.bulk_create(
            Membership(user_id=users[name], role=role, province_id=slug)
            for name, (role, slug, _label) in wanted.items()
            if name not in existing_users
        )
        return users

    def actor(self, role: str, province: Province) -> int:
        if role == Role.MINISTRY:
            return self.users[f"{USER_PREFIX}ministry"]
        today = province
        while today.successor_id:
            today = self.provinces[today.successor_id]
        return self.users[f"{USER_PREFIX}{role}.{today.slug}"]

    # -- top level --

    def write(self, total: int) -> Result:
        per_year = _apportion(total, YEAR_WEIGHT)
        drafts: list[_Draft] = []
        for year, count in per_year.items():
            # A province absorbed in 2025 still worked in the first half of that year.
            provinces = [p for p in self.provinces.values() if p.existed_in(year)]
            cum = _cumulative([self.weight[p.slug] for p in provinces])
            for _i in range(count):
                province = self.rng.choices(provinces, cum_weights=cum)[0]
                drafts.append(self.draft(year, province))
                if len(drafts) >= CHUNK:
                    self.flush(drafts)
                    drafts = []
        self.flush(drafts)
        self.allocations()
        self.plans()
        return self.result

    # -- one proposal --

    def draft(self, year: int, province: Province) -> _Draft:
        rng = self.rng
        self.serial += 1
        fund = _pick(rng, FUND_WEIGHT.get(year, FUND_WEIGHT["early"]))
        content = _pick(rng, CONTENT_WEIGHT[fund])
        age = LAST_YEAR - year
        state = _pick(rng, STATE_WEIGHT.get(age, STATE_WEIGHT["old"]))
        if state == S.APPRAISED and fund != Fund.NATIONAL:
            state = S.SUBMITTED.value
        kind = Kind.SINGLE.value
        if content == 3 and rng.random() < 0.25:
            kind = Kind.GROUP.value
        elif fund == Fund.NATIONAL and rng.random() < 0.02:
            kind = Kind.FLAGSHIP.value

        low, high = SUPPORT_RANGE[fund].get(content, SUPPORT_RANGE[fund][None])
        support = _round(math.exp(rng.uniform(math.log(low), math.log(high))) * TRIEU)
        if content == 3:
            leverage = min(40.0, max(1.0, rng.lognormvariate(math.log(4), 0.8)))
        elif content == 7:
            leverage = rng.uniform(1, 10)
        elif content in (1, 2, 4, 5):
            leverage = rng.uniform(0, 1)
        else:
            leverage = 0
        counterpart = round(support * leverage / TRIEU) * TRIEU
        other = _round(support * rng.uniform(0.05, 0.2)) if rng.random() < 0.1 else 0

        product = rng.choice(PRODUCTS)
        place = rng.choice(PLACES)
        unit = (
            f"UBND {'xã' if year >= 2025 else 'huyện'} {place}"
            if fund == Fund.DISTRICT
            else f"Trung tâm Khuyến công {province.name}"
        )
        title = TITLES[content].format(product=product, district=place)
        code = (
            f"{code_prefix(self.seed)}{province.code_until_2025 or province.code}-{year}-"
            f"{FUND_CODE[fund]}-{self.serial:06d}"
        )
        p = {
            "code": code,
            "title": title,
            "year": year,
            "province_id": province.slug,
            "unit_id": self.regional[province.slug]
            if fund == Fund.NATIONAL and self.serial % 3 == 0 and province.slug in self.regional
            else self.centres[province.slug],
            "implementing_unit": unit,
            "fund_id": fund,
            "content_id": content,
            "activity_id": ACTIVITIES[content][self.serial % len(ACTIVITIES[content])],
            "kind": kind,
            "objectives": f"Nâng cao năng lực sản xuất, chất lượng sản phẩm {product} và thu "
            f"nhập cho người lao động khu vực nông thôn {place}, {province.name}.",
            "scale": f"Hỗ trợ {product} tại {place}.",
            "schedule": f"Thực hiện từ quý II đến quý IV năm {year}.",
            "start_date": datetime.date(year, rng.randint(3, 6), rng.randint(1, 28)),
            "end_date": datetime.date(year, rng.randint(10, 12), rng.randint(1, 28)),
            "support_vnd": support,
            "counterpart_vnd": counterpart,
            "other_vnd": other,
            "state": state,
            "created_at": _moment(rng, year, 1, 2),
            "search_text": Proposal.build_search_text(code, title, unit),
        }
        d = _Draft(p)
        self._beneficiaries(d, province, year, content, kind)
        self._lifecycle(d, province)
        self._indicators(d, content)
        return d

    def _beneficiaries(self, d: _Draft, province, year, content, kind):
        rng = self.rng
        if content == 3:
            n = 1
            if kind == Kind.GROUP:
                n = rng.randint(3, 8)
            elif kind == Kind.FLAGSHIP:
                n = rng.randint(2, 5)
        elif content == 1:
            n = rng.randint(1, 3) if rng.random() < 0.4 else 0
        elif content in (2, 4, 5):
            n = rng.randint(1, 2) if rng.random() < 0.35 else 0
        elif content == 7:
            n = 1 if rng.random() < 0.25 else 0
        else:
            n = 0
        pool = self.pool[province.slug]
        chosen = []
        for _i in range(n):
            if pool and rng.random() < 0.15:  # supported before, supported again
                facility = rng.choice(pool)
                if all(facility is not c for c in chosen):
                    chosen.append(facility)
                    continue
            facility = self._facility(province, year)
            pool.append(facility)
            chosen.append(facility)
        if not chosen:
            return
        p = d.proposal
        supports = _split(rng, p["support_vnd"], len(chosen), UNIT)
        counterparts = _split(rng, p["counterpart_vnd"], len(chosen), TRIEU)
        d.facilities = chosen
        d.shares = list(zip(supports, counterparts, strict=True))

    def _facility(self, province, year) -> dict:
        rng = self.rng
        form = _pick(rng, LEGAL_FORM_WEIGHT)
        product = rng.choice(PRODUCTS)
        place = rng.choice(PLACES)
        person = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        if form == LegalForm.HOUSEHOLD:
            name = f"Hộ kinh doanh {person} ({product})"
        else:
            name = f"{FORM_NAME[form]} {product} {rng.choice(BRANDS)} {place}"
        # Some households never registered: no tax code (unique only when present).
        tax_code = None
        if form != LegalForm.HOUSEHOLD or rng.random() < 0.85:
            tax_code = f"{TAX_PREFIX}{self.tax_serial:09d}"
            self.tax_serial += 1
        address = f"Xã {place}, {province.name}"
        low, high = EMPLOYEES[form]
        return {
            "name": name,
            "legal_form": form,
            "tax_code": tax_code,
            "province_id": province.slug,
            "address": address,
            "sector": f"Sản xuất {product}",
            "employees": rng.randint(low, high),
            "representative": person,
            "phone": f"09{rng.randint(10_000_000, 99_999_999)}",
            "area_class": _pick(rng, AREA_WEIGHT),
            "search_text": Facility.build_search_text(name, tax_code, address),
            "created_at": _moment(rng, year, 1, 1),
        }

    def _indicators(self, d: _Draft, content):
        if content not in INDICATORS or self.rng.random() < 0.3:
            return
        key, (low, high) = INDICATORS[content]
        planned = self.rng.randint(low, high)
        done = d.proposal["state"] in lifecycle.ACCEPTED_STATES
        row = {"indicator_id": key, "planned": planned, "actual": planned if done else None}
        d.extras.append((OutcomeIndicator, row))

    def _route(self, target: str, fund: str) -> list[str]:
        """The actions from draft to `target`: the table's shortest path, with the detours real
        proposals take (a withdrawal after submitting, a return and resubmission, a cancellation
        after the work started). `lifecycle.row_for` refuses any step the table does not allow."""
        rng = self.rng
        path = lifecycle.path_to(target, fund)
        if target == S.WITHDRAWN and rng.random() < 0.5:
            path = ["submit", "withdraw"]
        elif path[:1] == ["submit"] and len(path) > 1 and "return" not in path:
            if rng.random() < 0.12:  # sent back once, revised and submitted again
                path = ["submit", "return"] + path
        if target == S.CANCELLED and rng.random() < 0.7:
            path = path[:-1] + ["start", "cancel"]
        return path

    def _lifecycle(self, d: _Draft, province):
        """Events from draft to the proposal's state, and the figures each step decided."""
        rng, p = self.rng, d.proposal
        national = p["fund_id"] == Fund.NATIONAL
        clock = [p["created_at"]]

        def at(days_low, days_high):
            moment = clock[0] + datetime.timedelta(
                days=rng.randint(days_low, days_high), hours=rng.randint(0, 6)
            )
            clock[0] = min(moment, AS_OF)
            return clock[0]

        def event(action, from_state, to_state, role, when=None, **amounts):
            d.events.append(
                {
                    "action": action,
                    "from_state": from_state.value,
                    "to_state": to_state.value,
                    "actor_id": self.actor(role, province),
                    "at": when or at(3, 20),
                    "comment": COMMENTS.get(action, ""),
                    **amounts,
                }
            )

        target = p["state"]
        state, approved, paid, key = S.DRAFT, 0, 0, None
        for action in self._route(target, p["fund_id"]):
            if action in ("accept", "settle"):
                break  # with their figures and records, below
            step = lifecycle.row_for(state, action, p["fund_id"])
            from_state, state = state, S(step.target)
            if action == "approve":
                approved = p["support_vnd"]
                if rng.random() < 0.3:
                    approved = _round(p["support_vnd"] * rng.uniform(0.85, 1.0))
                decided = at(5, 30)
                p["decision_number"] = f"{rng.randint(10, 2999)}/QĐ-{'BCT' if national else 'SCT'}"
                p["decision_date"] = decided.date()
                p["approved_support_vnd"] = approved
                _final(p, approved, p["counterpart_vnd"], p["other_vnd"])
                key = (p["province_id"], p["year"], p["fund_id"])
                self.committed[key] += approved
                event(
                    action,
                    from_state,
                    state,
                    step.role,
                    when=decided,
                    support_vnd=approved,
                    counterpart_vnd=p["counterpart_vnd"],
                    other_vnd=p["other_vnd"],
                    decision_number=p["decision_number"],
                    decision_date=p["decision_date"],
                )
            elif action == "cancel":
                event(action, from_state, state, step.role, support_vnd=paid)
                _final(p, None, None, None)
                self.committed[key] -= approved
            else:
                event(action, from_state, state, step.role)
            if action == "start" and rng.random() < 0.6:
                paid = _round(approved * rng.uniform(0.3, 0.7))
                d.extras.append(self._payment(Payment.Kind.ADVANCE, paid, province, clock[0]))
        if target not in lifecycle.ACCEPTED_STATES:
            return self._done(d)

        actual = approved if rng.random() < 0.6 else max(paid, _round(approved * 0.95))
        counterpart = round(p["counterpart_vnd"] * rng.uniform(0.95, 1.1) / TRIEU) * TRIEU
        other = p["other_vnd"]
        accepted = at(150, 240)
        step = lifecycle.row_for(state, "accept", p["fund_id"])
        from_state, state = state, S(step.target)
        event(
            "accept",
            from_state,
            state,
            step.role,
            when=accepted,
            support_vnd=actual,
            counterpart_vnd=counterpart,
            other_vnd=other,
        )
        _final(p, actual, counterpart, other)
        department = self.actor(Role.DEPARTMENT, province)
        d.extras.append(
            (
                Acceptance,
                {
                    "accepted_on": accepted.date(),
                    "total_cost_vnd": actual + counterpart + other,
                    "support_vnd": actual,
                    "counterpart_vnd": counterpart,
                    "other_vnd": other,
                    "council": "Hội đồng nghiệm thu của Sở Công Thương",
                    "created_by_id": department,
                    "created_at": accepted,
                },
            )
        )
        if target == state:
            return self._done(d)
        settled = at(20, 90)
        number = f"{rng.randint(10, 2999)}/QĐ-STC"
        step = lifecycle.row_for(state, "settle", p["fund_id"])
        event(
            "settle",
            state,
            S(step.target),
            step.role,
            when=settled,
            support_vnd=actual,
            counterpart_vnd=counterpart,
            other_vnd=other,
            decision_number=number,
            decision_date=settled.date(),
        )
        if actual > paid:
            d.extras.append(self._payment(Payment.Kind.FINAL, actual - paid, province, settled))
        d.extras.append(
            (
                Settlement,
                {
                    "decision_number": number,
                    "decision_date": settled.date(),
                    "support_vnd": actual,
                    "counterpart_vnd": counterpart,
                    "other_vnd": other,
                    "created_by_id": department,
                    "created_at": settled,
                },
            )
        )
        return self._done(d)

    def _payment(self, kind, amount, province, moment) -> tuple:
        advance = kind == Payment.Kind.ADVANCE
        return (
            Payment,
            {
                "kind": kind.value,
                "amount_vnd": amount,
                "note": "Tạm ứng kinh phí thực hiện" if advance else "Thanh toán",
                "state": Payment.Status.APPROVED.value,
                "requested_by_id": self.actor(Role.CENTRE, province),
                "requested_at": moment,
                "decided_by_id": self.actor(Role.DEPARTMENT, province),
                "decided_at": min(moment + datetime.timedelta(days=3), AS_OF),
            },
        )

    def _done(self, d: _Draft):
        p = d.proposal
        p["version"] = 1 + len(d.events)
        p["updated_at"] = d.events[-1]["at"] if d.events else p["created_at"]
        if p["state"] in COUNTED_STATES:
            period = _period(p["year"])
            self.support_by_period[(p["province_id"], p["fund_id"], period)] += p[
                "final_support_vnd"
            ]
            self.count_by_period[(p["province_id"], p["content_id"], period)] += 1

    # -- writing --

    def flush(self, drafts: list[_Draft]):
        if not drafts:
            return
        # A facility new in this chunk may already serve two proposals: insert it once.
        new = {id(f): f for d in drafts for f in d.facilities if isinstance(f, dict)}
        bulk.insert(Facility, list(new.values()), ids=True)
        bulk.insert(Proposal, [d.proposal for d in drafts], ids=True)
        beneficiaries, events, extras = [], [], defaultdict(list)
        for d in drafts:
            pid = d.proposal["id"]
            done = d.proposal["state"] in lifecycle.ACCEPTED_STATES
            for facility, (support, counterpart) in zip(d.facilities, d.shares, strict=True):
                beneficiaries.append(
                    {
                        "proposal_id": pid,
                        "facility_id": facility["id"] if isinstance(facility, dict) else facility,
                        "support_vnd": support,
                        "counterpart_vnd": counterpart,
                        "actual_support_vnd": support if done else None,
                        "actual_counterpart_vnd": counterpart if done else None,
                    }
                )
            for e in d.events:
                e["proposal_id"] = pid
                events.append(e)
            for model, row in d.extras:
                row["proposal_id"] = pid
                extras[model].append(row)
        bulk.insert(Beneficiary, beneficiaries)
        bulk.insert(ProposalEvent, events)
        for model, rows in extras.items():
            bulk.insert(model, rows)
        reset_queries()  # with DEBUG on, Django would keep every batch's SQL text
        # Between chunks keep only the ids of supported facilities: memory stays flat.
        for pool in self.pool.values():
            pool[:] = [f["id"] if isinstance(f, dict) else f for f in pool]
        r = self.result
        r.proposals += len(drafts)
        r.facilities += len(new)
        r.beneficiaries += len(beneficiaries)
        r.events += len(events)
        self.log(f"  {r.proposals} proposals written")

    def allocations(self):
        """Every province and fund of each year gets an allocation that covers its approvals."""
        rows = []
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            funds = FUND_WEIGHT.get(year, FUND_WEIGHT["early"])
            for province in self.provinces.values():
                if not province.existed_in(year):
                    continue
                for fund in funds:
                    committed = self.committed.get((province.slug, year, fund), 0)
                    amount = committed * self.rng.uniform(1.0, 1.25)
                    amount = math.ceil(amount / (100 * TRIEU)) * 100 * TRIEU
                    rows.append(
                        Allocation(
                            province_id=province.slug,
                            year=year,
                            fund_id=fund,
                            amount_vnd=max(amount, 100 * TRIEU),
                            decision_number=f"{ALLOCATION_MARK}{year}/QĐ-phân bổ",
                            note="Phân bổ sinh tự động cho đo hiệu năng.",
                        )
                    )
        # Allocations already there (entered by people) are left as they are.
        Allocation.objects.bulk_create(rows, batch_size=bulk.BATCH, ignore_conflicts=True)
        # Proposals and allocations were written in bulk, not by the lifecycle: sum them once.
        budget.refresh_all_committed()
        self.result.allocations = len(rows)

    def plans(self):
        """Five-year plans of the national and provincial funds, with counted targets."""
        periods = [(2016, 2020), (2021, 2025), (2026, 2030)]
        rows = []
        for first, last in periods:
            for province in self.provinces.values():
                if not province.existed_in(first):
                    continue
                for fund in (Fund.NATIONAL, Fund.PROVINCIAL):
                    done = self.support_by_period.get((province.slug, fund, first), 0)
                    years_done = max(1, min(last, LAST_YEAR) - first + 1)
                    target = done * (last - first + 1) / years_done * self.rng.uniform(0.9, 1.3)
                    rows.append(
                        Plan(
                            province_id=province.slug,
                            fund_id=fund,
                            year_from=first,
                            year_to=last,
                            target_support_vnd=max(
                                math.ceil(target / (100 * TRIEU)) * 100 * TRIEU, 500 * TRIEU
                            ),
                            note=f"{PLAN_NOTE}: kế hoạch {fund} giai đoạn {first}–{last}.",
                        )
                    )
        Plan.objects.bulk_create(rows, batch_size=bulk.BATCH, ignore_conflicts=True)
        plans = Plan.objects.filter(note__startswith=PLAN_NOTE, targets__isnull=True)
        targets = []
        for plan in plans.order_by("pk"):
            for content, (description, unit, per_proposal) in PLAN_TARGETS.items():
                count = self.count_by_period.get((plan.province_id, content, plan.year_from), 0)
                if count:
                    targets.append(
                        PlanTarget(
                            plan=plan,
                            content_id=content,
                            description=description,
                            count=max(1, round(count * per_proposal * self.rng.uniform(0.9, 1.2))),
                            unit=unit,
                        )
                    )
        PlanTarget.objects.bulk_create(targets, batch_size=bulk.BATCH)
        self.result.plans = len(rows)


def _final(p: dict, support, counterpart, other):
    """The figures reports count (Proposal.record_final_figures, on a row)."""
    p["final_support_vnd"] = support
    p["final_counterpart_vnd"] = counterpart
    p["final_other_vnd"] = other


# --- Small helpers -----------------------------------------------------------------------------


def _pick(rng: random.Random, weights: dict):
    keys = list(weights)
    key = rng.choices(keys, weights=[weights[k] for k in keys])[0]
    return key.value if isinstance(key, enum.Enum) else key


def _cumulative(weights):
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def _apportion(total: int, weights: dict) -> dict:
    """Split `total` by `weights` into integers that add up exactly."""
    scale = sum(weights.values())
    parts = {k: int(total * w / scale) for k, w in weights.items()}
    keys = list(weights)
    for i in range(total - sum(parts.values())):
        parts[keys[-1 - i % len(keys)]] += 1
    return parts


def _round(amount: float) -> int:
    return max(UNIT, int(round(amount / UNIT)) * UNIT)


def _split(rng: random.Random, total: int, n: int, unit: int) -> list[int]:
    """`total` in `n` uneven parts, multiples of `unit` except the last, adding up exactly."""
    if n == 1:
        return [total]
    weights = [rng.uniform(1, 3) for _i in range(n)]
    scale = sum(weights)
    parts = [int(total * w / scale) // unit * unit for w in weights]
    parts[-1] += total - sum(parts)
    return parts


def _moment(rng: random.Random, year: int, month_low: int, month_high: int):
    moment = datetime.datetime(
        year,
        rng.randint(month_low, month_high),
        rng.randint(1, 28),
        rng.randint(7, 17),
        rng.randint(0, 59),
        tzinfo=TZ,
    )
    return min(moment, AS_OF)


def _period(year: int) -> int | None:
    """The first year of the five-year plan period `year` falls in (None before 2016)."""
    if year < 2016:
        return None
    return 2016 if year <= 2020 else 2021 if year <= 2025 else 2026
