"""The period summary (SPEC §7): one function, four faces.

`summarise()` computes everything the dashboard, the PDF, the Excel workbook and the API show,
so they can never disagree. All aggregation happens in SQL in a fixed handful of GROUP BY
queries: the number of queries does not grow with the number of proposals.

Counted proposals are those from approval on (`Proposal.objects.counted_in_reports()`), summed
on their most final figures (`final_*_vnd`, SPEC §6). Facilities are the distinct facilities
among the beneficiaries of counted proposals.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from facilities.models import AreaClass, Facility, LegalForm
from funding.models import (
    ActivityContent,
    ActivityType,
    Catalogue,
    Fund,
    OutputIndicator,
    Plan,
    PlanTarget,
)
from khuyencong import datacache, money
from khuyencong.models import Province, Unit
from proposals.lifecycle import ACCEPTED_STATES
from proposals.models import Beneficiary, OutcomeIndicator, Proposal

_SUMS = {
    "n": Count("pk"),
    "support": Coalesce(Sum("final_support_vnd"), 0),
    "counterpart": Coalesce(Sum("final_counterpart_vnd"), 0),
    "other": Coalesce(Sum("final_other_vnd"), 0),
}


class ProvinceNotVisible(Http404):
    """A province was asked for that the user may not see: answer 404, like any hidden object."""


@dataclass(frozen=True)
class ReportFilters:
    """What a report covers. Empty values mean no restriction."""

    year_from: int | None = None
    year_to: int | None = None
    provinces: tuple[str, ...] = ()
    rollup: bool = False
    fund: str | None = None
    content: int | None = None
    activity: str | None = None  # an activity type key (SPEC §3.1), within `content` if given

    def query_items(self) -> list[tuple[str, str]]:
        """The query string that asks for this report again (for PDF and Excel links)."""
        items = [("year_from", self.year_from), ("year_to", self.year_to)]
        items += [("province", slug) for slug in self.provinces]
        items += [("fund", self.fund), ("content", self.content), ("activity", self.activity)]
        if self.rollup:
            items.append(("rollup", 1))
        return [(key, str(value)) for key, value in items if value not in (None, "")]

    def as_json(self) -> dict:
        return {
            "year_from": self.year_from,
            "year_to": self.year_to,
            "provinces": list(self.provinces),
            "rollup": self.rollup,
            "fund": self.fund,
            "content": self.content,
            "activity": self.activity,
        }


@dataclass
class Figures:
    """Counted proposals and their money, in integer VND."""

    proposals: int = 0
    support_vnd: int = 0
    counterpart_vnd: int = 0
    other_vnd: int = 0

    @property
    def total_cost_vnd(self) -> int:
        return self.support_vnd + self.counterpart_vnd + self.other_vnd

    @property
    def leverage(self) -> Decimal | None:
        """Counterpart attracted per đồng of support (tỷ lệ thu hút)."""
        return money.leverage(self.counterpart_vnd, self.support_vnd)

    def add(self, other: "Figures") -> None:
        self.proposals += other.proposals
        self.support_vnd += other.support_vnd
        self.counterpart_vnd += other.counterpart_vnd
        self.other_vnd += other.other_vnd

    @classmethod
    def from_row(cls, row: dict) -> "Figures":
        # PostgreSQL's SUM(bigint) is numeric (Decimal in Python): exact, but made int here.
        return cls(
            proposals=int(row["n"]),
            support_vnd=int(row["support"]),
            counterpart_vnd=int(row["counterpart"]),
            other_vnd=int(row["other"]),
        )

    def money_json(self) -> dict:
        return {
            "proposals": self.proposals,
            "support_vnd": self.support_vnd,
            "counterpart_vnd": self.counterpart_vnd,
            "other_vnd": self.other_vnd,
            "total_cost_vnd": self.total_cost_vnd,
            "leverage": _number(self.leverage),
        }


@dataclass
class Row(Figures):
    """One line of a breakdown: a fund, a content, a province, a year or a unit kind."""

    key: str | int = ""
    label: str = ""
    share: Decimal | None = None  # of the report's total support
    # Query parameters that narrow the proposal list to this row (see reports.links).
    list_params: dict = field(default_factory=dict)
    # By province with roll-up: the provinces (as recorded on the proposals) inside this one.
    parts: list["Row"] = field(default_factory=list)
    # By year: support per fund key, for the stacked chart.
    support_by_fund: dict = field(default_factory=dict)
    # By activity type: the content the type belongs to (None on the unclassified row).
    content: int | None = None
    # By implementing unit kind: how many units of the kind carried the proposals out.
    units: int = 0


@dataclass
class LegalFormRow:
    key: str
    label: str
    facilities: int = 0
    share: Decimal | None = None


@dataclass
class OutputRow:
    """An output indicator (SPEC §3.2) added up over the counted proposals that name it.

    `actual` is what acceptance recorded; None while none of those proposals is accepted, so a
    report never shows "0 achieved" for work still under way.
    """

    key: str
    label: str
    unit: str
    proposals: int
    planned: int
    accepted: int
    actual: int | None


@dataclass
class AreaClassRow:
    """Beneficiaries' support that reached one kind of area (normal, disadvantaged, …)."""

    key: str
    label: str
    facilities: int = 0
    proposals: int = 0
    support_vnd: int = 0
    share: Decimal | None = None


@dataclass
class PlanTargetRow:
    """A counted target of a plan and what the plan's counted proposals achieved of it.

    An indicator target adds up the actuals recorded at acceptance (and shows what was planned);
    an activity-type or content target counts proposals. A content or activity given with an
    indicator narrows the proposals whose indicator is added up.
    """

    content: int | None
    content_label: str
    activity: str | None
    activity_label: str
    indicator: str | None
    indicator_label: str
    description: str
    count: int
    unit: str
    planned: int | None = None  # indicator targets only
    achieved: int = 0

    @property
    def achievement(self) -> Decimal | None:
        return money.ratio(self.achieved, self.count)

    @property
    def label(self) -> str:
        return self.description or self.indicator_label or self.activity_label or self.content_label

    def counts(self, content: int, activity: str | None) -> bool:
        """Whether a proposal of this content and activity type counts towards the target."""
        if self.activity is not None and activity != self.activity:
            return False
        return self.content is None or content == self.content

    def as_json(self) -> dict:
        return {
            "content": self.content,
            "activity": self.activity,
            "indicator": self.indicator,
            "count": self.count,
            "target": self.count,
            "planned": self.planned,
            "achieved": self.achieved,
            "achievement": _number(self.achievement),
            "description": self.description,
            "unit": self.unit,
        }


@dataclass
class PlanRow:
    """A period plan and how much of its targets the counted proposals reached: its support,
    its number of proposals and each counted target."""

    id: int
    province: str
    province_name: str
    fund: str
    fund_label: str
    year_from: int
    year_to: int
    target_support_vnd: int
    target_proposals: int | None = None
    support_vnd: int = 0
    proposals: int = 0
    counted_provinces: list[str] = field(default_factory=list)
    counted_province_names: list[str] = field(default_factory=list)
    targets: list[PlanTargetRow] = field(default_factory=list)
    list_params: dict = field(default_factory=dict)
    plan_count: int = 1  # more than one on a row that adds plans up (plans_by_fund)

    @property
    def achievement(self) -> Decimal | None:
        return money.ratio(self.support_vnd, self.target_support_vnd)

    @property
    def proposals_achievement(self) -> Decimal | None:
        return money.ratio(self.proposals, self.target_proposals)

    @property
    def label(self) -> str:
        return f"{self.province_name} · {self.fund_label} · {self.year_from}–{self.year_to}"

    def covers(self, year: int) -> bool:
        return self.year_from <= year <= self.year_to

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "province": self.province,
            "fund": self.fund,
            "year_from": self.year_from,
            "year_to": self.year_to,
            "target_support_vnd": self.target_support_vnd,
            "support_vnd": self.support_vnd,
            "achievement": _number(self.achievement),
            "target_proposals": self.target_proposals,
            "proposals": self.proposals,
            "proposals_achievement": _number(self.proposals_achievement),
            "counted_provinces": self.counted_provinces,
            "targets": [target.as_json() for target in self.targets],
        }


@dataclass
class Summary:
    filters: ReportFilters
    scope: frozenset[str] | None
    # Provinces the report counts (after scope and roll-up); None means every province.
    included: frozenset[str] | None
    place: str
    file_stem: str
    issuer_provinces: list[Province]
    totals: Figures
    facilities: int
    by_fund: list[Row]
    by_content: list[Row]
    by_activity: list[Row]
    activity_label: str | None  # the name of the activity type filtered on
    by_province: list[Row]
    by_year: list[Row]
    by_legal_form: list[LegalFormRow]
    outputs: list[OutputRow]
    by_area_class: list[AreaClassRow]
    by_unit: list[Row]
    plans: list[PlanRow]
    funds: list[Fund]
    list_params: dict

    def plans_by_fund(self) -> list[PlanRow]:
        """The plans added up per fund: what a national PDF shows instead of ~250 rows."""
        rows: dict[str, PlanRow] = {}
        for plan in self.plans:
            row = rows.get(plan.fund)
            if row is None:
                row = rows[plan.fund] = PlanRow(
                    id=0,
                    province="",
                    province_name="",
                    fund=plan.fund,
                    fund_label=plan.fund_label,
                    year_from=plan.year_from,
                    year_to=plan.year_to,
                    target_support_vnd=0,
                    plan_count=0,
                )
            row.plan_count += 1
            row.target_support_vnd += plan.target_support_vnd
            row.support_vnd += plan.support_vnd
            row.proposals += plan.proposals
            row.year_from = min(row.year_from, plan.year_from)
            row.year_to = max(row.year_to, plan.year_to)
        return list(rows.values())

    @property
    def period(self) -> str:
        first, last = self.filters.year_from, self.filters.year_to
        if not first and not last:
            years = [row.key for row in self.by_year]
            first, last = (years[0], years[-1]) if years else (None, None)
        if first and last:
            return str(first) if first == last else f"{first}–{last}"
        if first:
            return _("từ năm %(year)s") % {"year": first}
        if last:
            return _("đến năm %(year)s") % {"year": last}
        return ""

    @property
    def fund_label(self) -> str | None:
        for fund in self.funds:
            if fund.key == self.filters.fund:
                return fund.name
        return None

    @property
    def content_label(self) -> str | None:
        for row in self.by_content:
            if row.key == self.filters.content:
                return f"{row.key}. {row.label}"
        return None

    @property
    def area_class_support_vnd(self) -> int:
        """The beneficiaries' support of the counted proposals, every area together."""
        return sum(row.support_vnd for row in self.by_area_class)

    @property
    def leverage_by_province(self) -> list[Row]:
        rows = [row for row in self.by_province if row.leverage is not None]
        return sorted(rows, key=lambda row: (-row.leverage, row.label))

    def counted_proposals(self):
        """The counted proposals themselves, for the list sheet (a lazy queryset)."""
        return _counted(self.filters, self.included)

    def as_json(self) -> dict:
        """The API face, SPEC §7. Ratios are JSON numbers; money is integer VND."""

        def row_json(row, key_name):
            data = {key_name: row.key, "name": row.label, **row.money_json()}
            data["share"] = _number(row.share)
            return data

        by_province = []
        for row in self.by_province:
            data = row_json(row, "province")
            if self.filters.rollup:
                data["includes"] = [row_json(part, "province") for part in row.parts]
            by_province.append(data)
        by_year = []
        for row in self.by_year:
            data = row_json(row, "year")
            data["support_by_fund_vnd"] = row.support_by_fund
            by_year.append(data)
        return {
            "filters": self.filters.as_json(),
            "included_provinces": sorted(self.included) if self.included is not None else None,
            "place": self.place,
            "proposals": self.totals.proposals,
            "facilities": self.facilities,
            "total_cost_vnd": self.totals.total_cost_vnd,
            "support_vnd": self.totals.support_vnd,
            "counterpart_vnd": self.totals.counterpart_vnd,
            "other_vnd": self.totals.other_vnd,
            "leverage": _number(self.totals.leverage),
            "by_fund": [row_json(row, "fund") for row in self.by_fund],
            "by_content": [row_json(row, "content") for row in self.by_content],
            "by_activity": [
                {**row_json(row, "activity"), "content": row.content} for row in self.by_activity
            ],
            "by_province": by_province,
            "by_year": by_year,
            "by_legal_form": [
                {
                    "legal_form": row.key,
                    "name": row.label,
                    "facilities": row.facilities,
                    "share": _number(row.share),
                }
                for row in self.by_legal_form
            ],
            "outputs": [
                {
                    "indicator": row.key,
                    "name": row.label,
                    "unit": row.unit,
                    "proposals": row.proposals,
                    "planned": row.planned,
                    "accepted_proposals": row.accepted,
                    "actual": row.actual,
                }
                for row in self.outputs
            ],
            "by_unit": [{**row_json(row, "kind"), "units": row.units} for row in self.by_unit],
            "by_area_class": [
                {
                    "area_class": row.key,
                    "name": row.label,
                    "facilities": row.facilities,
                    "proposals": row.proposals,
                    "support_vnd": row.support_vnd,
                    "share": _number(row.share),
                }
                for row in self.by_area_class
            ],
            "plans": [plan.as_json() for plan in self.plans],
        }


def _number(value: Decimal | None) -> float | None:
    # Ratios (leverage, achievement, shares) only; money never passes through here.
    return None if value is None else float(value)


class _ProvinceMap:
    """All provinces, loaded in one query, with the 2025 succession walked in memory."""

    def __init__(self):
        self.by_slug = {p.slug: p for p in Province.objects.all()}
        self._predecessors = defaultdict(list)
        for province in self.by_slug.values():
            if province.successor_id:
                self._predecessors[province.successor_id].append(province.slug)

    def lineage(self, slug: str) -> set[str]:
        """The province and every province it succeeded."""
        found, frontier = {slug}, [slug]
        while frontier:
            frontier = [p for s in frontier for p in self._predecessors[s] if p not in found]
            found.update(frontier)
        return found

    def today(self, slug: str) -> str:
        while self.by_slug[slug].successor_id:
            slug = self.by_slug[slug].successor_id
        return slug

    def name(self, slug: str) -> str:
        return self.by_slug[slug].name

    def sort_key(self, slug: str):
        province = self.by_slug[slug]
        return (province.code or "99", province.name)


def _included(filters: ReportFilters, scope, provinces: _ProvinceMap) -> frozenset[str] | None:
    """Scope first, then the requested provinces (with their predecessors on roll-up)."""
    hidden = [
        slug
        for slug in filters.provinces
        if slug not in provinces.by_slug or (scope is not None and slug not in scope)
    ]
    if hidden:
        raise ProvinceNotVisible(
            _("Không tìm thấy tỉnh, thành phố: %(slugs)s.") % {"slugs": ", ".join(hidden)}
        )
    if not filters.provinces:
        return None if scope is None else frozenset(scope)
    slugs = set()
    for slug in filters.provinces:
        slugs |= provinces.lineage(slug) if filters.rollup else {slug}
    if scope is not None:
        slugs &= set(scope)
    return frozenset(slugs)


def _counted(filters: ReportFilters, included):
    proposals = Proposal.objects.counted_in_reports()
    if included is not None:
        proposals = proposals.filter(province__in=included)
    if filters.year_from:
        proposals = proposals.filter(year__gte=filters.year_from)
    if filters.year_to:
        proposals = proposals.filter(year__lte=filters.year_to)
    if filters.fund:
        proposals = proposals.filter(fund=filters.fund)
    if filters.content:
        proposals = proposals.filter(content=filters.content)
    if filters.activity:
        proposals = proposals.filter(activity=filters.activity)
    return proposals


def _grouped(queryset, *fields):
    return queryset.values(*fields).annotate(**_SUMS).order_by()


def _with_shares(rows, total_support):
    for row in rows:
        row.share = money.ratio(row.support_vnd, total_support)
    return rows


def summarise(filters: ReportFilters, *, scope, fresh: bool = False) -> Summary:
    """The period summary for `filters`, within `scope` (visible province slugs, None = all).

    Raises ProvinceNotVisible (a 404) when a requested province is unknown or out of scope:
    a provincial user's report never includes another province, whatever is asked.

    Cached until the data changes (khuyencong.datacache): managers open the same national
    report again and again, and its SQL takes a fifth of a second. `fresh` computes it anew.
    """
    if fresh:
        return _summarise(filters, scope)
    parts = (filters, None if scope is None else sorted(scope), translation.get_language())
    return datacache.cached("summary", parts, lambda: _summarise(filters, scope))


def _summarise(filters: ReportFilters, scope) -> Summary:
    provinces = _ProvinceMap()
    included = _included(filters, scope, provinces)
    counted = _counted(filters, included)
    funds = [f for f in Fund.objects.all() if not filters.fund or f.key == filters.fund]
    contents = [
        c
        for c in ActivityContent.objects.all()
        if not filters.content or c.number == filters.content
    ]

    # By year and fund in one query: totals, by_fund, by_year and the stacked chart all add up.
    totals = Figures()
    fund_figures = {fund.key: Figures() for fund in funds}
    year_rows: dict[int, Row] = {}
    for cell in _grouped(counted, "year", "fund"):
        figures = Figures.from_row(cell)
        totals.add(figures)
        fund_figures.setdefault(cell["fund"], Figures()).add(figures)
        year = year_rows.setdefault(
            cell["year"],
            Row(key=cell["year"], label=str(cell["year"]), list_params=_year_params(cell["year"])),
        )
        year.add(figures)
        year.support_by_fund[cell["fund"]] = figures.support_vnd
    # Every year of the period gets a row, so tables and charts show gaps as zeros.
    first = filters.year_from or min(year_rows, default=None)
    last = filters.year_to or max(year_rows, default=None)
    if first and last and 0 <= last - first < 50:
        for year in range(first, last + 1):
            year_rows.setdefault(
                year, Row(key=year, label=str(year), list_params=_year_params(year))
            )
    by_year = [year_rows[year] for year in sorted(year_rows)]
    for row in by_year:
        row.support_by_fund = {f.key: row.support_by_fund.get(f.key, 0) for f in funds}

    by_fund = [
        Row(
            key=fund.key,
            label=fund.short_name,
            list_params={"fund": fund.key},
            **vars(fund_figures[fund.key]),
        )
        for fund in funds
    ]

    # By content, activity type and implementing unit in one query: the three tables add up
    # to the same totals, and the report scans the counted rows once for them.
    content_figures: dict[int, Figures] = defaultdict(Figures)
    activity_figures: dict[str | None, Figures] = defaultdict(Figures)
    unit_figures: dict[str, Figures] = defaultdict(Figures)
    units_of_kind: dict[str, set] = defaultdict(set)
    for cell in _grouped(counted, "content", "activity", "unit", "unit__kind"):
        figures = Figures.from_row(cell)
        content_figures[cell["content"]].add(figures)
        activity_figures[cell["activity"]].add(figures)
        unit_figures[cell["unit__kind"]].add(figures)
        units_of_kind[cell["unit__kind"]].add(cell["unit"])
    by_content = [
        Row(
            key=content.number,
            label=content.short_name,
            list_params={"content": content.number},
            **vars(content_figures.get(content.number, Figures())),
        )
        for content in contents
    ]

    by_activity, activity_label = _by_activity(activity_figures, filters)
    by_province = _by_province(_grouped(counted, "province"), filters.rollup, provinces)

    legal_counts = dict(
        Facility.objects.filter(
            pk__in=Beneficiary.objects.filter(proposal__in=counted.values("pk")).values("facility")
        )
        .values_list("legal_form")
        .annotate(n=Count("pk"))
        .order_by()
    )
    facilities = sum(legal_counts.values())
    by_legal_form = [
        LegalFormRow(
            key=form.value,
            label=str(form.label),
            facilities=legal_counts.get(form.value, 0),
            share=money.ratio(legal_counts.get(form.value, 0), facilities),
        )
        for form in LegalForm
    ]

    scope_set = frozenset(scope) if scope is not None else None
    return Summary(
        filters=filters,
        scope=scope_set,
        included=included,
        place=_place(filters, scope_set, provinces),
        file_stem=_file_stem(filters, scope_set, provinces),
        issuer_provinces=_today_provinces(scope_set, provinces),
        totals=totals,
        facilities=facilities,
        by_fund=_with_shares(by_fund, totals.support_vnd),
        by_content=_with_shares(by_content, totals.support_vnd),
        by_activity=_with_shares(by_activity, totals.support_vnd),
        activity_label=activity_label,
        by_province=_with_shares(by_province, totals.support_vnd),
        by_year=_with_shares(by_year, totals.support_vnd),
        by_legal_form=by_legal_form,
        outputs=_outputs(counted),
        by_area_class=_by_area_class(counted),
        by_unit=_with_shares(_by_unit(unit_figures, units_of_kind), totals.support_vnd),
        plans=_plans(filters, scope, included, provinces),
        funds=funds,
        list_params=_list_params(filters, included),
    )


def _year_params(year):
    return {"year_from": year, "year_to": year}


def _list_params(filters: ReportFilters, included) -> dict:
    """Query parameters for the proposal list showing this report's proposals."""
    params = {
        "year_from": filters.year_from,
        "year_to": filters.year_to,
        "fund": filters.fund,
        "content": filters.content,
        "activity": filters.activity,
    }
    if filters.provinces:
        # The list does not roll up: hand it the provinces the roll-up expanded to.
        params["province"] = sorted(included, key=str)
    return params


def _by_activity(figures: dict, filters: ReportFilters) -> tuple[list[Row], str | None]:
    """Activity types (SPEC §3.1) with counted proposals, in catalogue order; proposals entered
    before types existed share one "chưa phân loại" row, last. With the name of the type the
    report is filtered on."""
    types = ActivityType.objects.all()
    if filters.content:
        types = types.filter(content=filters.content)
    if filters.activity:
        types = types.filter(key=filters.activity)
    types = list(types)
    label = next((kind.label for kind in types if kind.key == filters.activity), None)
    rows = [
        Row(
            key=kind.key,
            label=kind.label,
            content=kind.content_id,
            list_params={"activity": kind.key},
            **vars(figures[kind.key]),
        )
        for kind in types
        if kind.key in figures
    ]
    if None in figures:
        rows.append(Row(key=None, label=_("Chưa phân loại"), **vars(figures[None])))
    return rows, label


def _outputs(counted) -> list[OutputRow]:
    """Catalogue indicators planned or achieved by counted proposals, in catalogue order.

    "Other" (free-text) indicators have no common unit and are never added up.
    """
    accepted = Q(proposal__state__in=ACCEPTED_STATES)
    cells = {
        cell["indicator"]: cell
        for cell in OutcomeIndicator.objects.filter(
            proposal__in=counted.values("pk"), indicator__isnull=False
        )
        .values("indicator")
        .annotate(
            proposals=Count("proposal", distinct=True),
            planned=Coalesce(Sum("planned"), 0),
            accepted=Count("proposal", filter=accepted, distinct=True),
            actual=Coalesce(Sum("actual", filter=accepted), 0),
        )
        .order_by()
    }
    return [
        OutputRow(
            key=indicator.key,
            label=indicator.label,
            unit=indicator.unit_label,
            proposals=int(cells[indicator.key]["proposals"]),
            planned=int(cells[indicator.key]["planned"]),
            accepted=int(cells[indicator.key]["accepted"]),
            actual=int(cells[indicator.key]["actual"])
            if cells[indicator.key]["accepted"]
            else None,
        )
        for indicator in OutputIndicator.objects.all()
        if indicator.key in cells
    ]


def _by_unit(figures: dict, units: dict) -> list[Row]:
    """Counted proposals by the kind of their implementing unit (SPEC §4, §7), with how many
    units of the kind carried them out; every kind gets a row, in the kinds' order."""
    return [
        Row(
            key=kind.value,
            label=str(kind.label),
            units=len(units.get(kind.value, ())),
            list_params={"unit_kind": kind.value},
            **vars(figures.get(kind.value, Figures())),
        )
        for kind in Unit.Kind
    ]


def _by_area_class(counted) -> list[AreaClassRow]:
    """Beneficiaries' support (actual when acceptance recorded it, else planned) by the area
    class of their facility: every class gets a row, so a report shows where nothing went."""
    cells = {
        cell["facility__area_class"]: cell
        for cell in Beneficiary.objects.filter(proposal__in=counted.values("pk"))
        .values("facility__area_class")
        .annotate(
            facilities=Count("facility", distinct=True),
            proposals=Count("proposal", distinct=True),
            support=Coalesce(Sum(Coalesce("actual_support_vnd", "support_vnd")), 0),
        )
        .order_by()
    }
    rows = [
        AreaClassRow(
            key=area.value,
            label=str(area.label),
            facilities=int(cells.get(area.value, {}).get("facilities", 0)),
            proposals=int(cells.get(area.value, {}).get("proposals", 0)),
            support_vnd=int(cells.get(area.value, {}).get("support", 0)),
        )
        for area in AreaClass
    ]
    total = sum(row.support_vnd for row in rows)
    for row in rows:
        row.share = money.ratio(row.support_vnd, total)
    return rows


def _by_province(cells, rollup: bool, provinces: _ProvinceMap) -> list[Row]:
    recorded = {
        cell["province"]: Row(
            key=cell["province"],
            label=provinces.name(cell["province"]),
            list_params={"province": [cell["province"]]},
            **vars(Figures.from_row(cell)),
        )
        for cell in cells
    }
    if not rollup:
        return [recorded[slug] for slug in sorted(recorded, key=provinces.sort_key)]
    rolled: dict[str, Row] = {}
    for slug in sorted(recorded, key=provinces.sort_key):
        today = provinces.today(slug)
        row = rolled.setdefault(today, Row(key=today, label=provinces.name(today)))
        row.add(recorded[slug])
        row.parts.append(recorded[slug])
    for row in rolled.values():
        row.list_params = {"province": sorted(part.key for part in row.parts)}
    return [rolled[slug] for slug in sorted(rolled, key=provinces.sort_key)]


def _plans(filters: ReportFilters, scope, included, provinces: _ProvinceMap) -> list[PlanRow]:
    """Plans of the included provinces overlapping the period, with their achievement."""
    plans = Plan.objects.all()
    if included is not None:
        plans = plans.filter(province__in=included)
    if filters.fund:
        plans = plans.filter(fund=filters.fund)
    if filters.year_from:
        plans = plans.filter(year_to__gte=filters.year_from)
    if filters.year_to:
        plans = plans.filter(year_from__lte=filters.year_to)
    return measure_plans(plans, scope=scope, rollup=filters.rollup, provinces=provinces)


def measure_plans(plans, *, scope, rollup: bool = False, provinces=None) -> list[PlanRow]:
    """`plans` (a Plan queryset) measured against their counted proposals, in five queries.

    Achievement counts the proposals of the plan's province (with its predecessors on roll-up,
    within `scope`) and fund over the plan's own years, whatever a report's years or activity
    content: support against the target support, their number against the target number,
    and each counted target (PlanTargetRow).
    """
    provinces = provinces or _ProvinceMap()
    plans = list(
        plans.select_related("province", "fund").order_by(
            "province__name", "fund__order", "year_from"
        )
    )
    if not plans:
        return []
    # Targets as plain values in one query: a national report has ~1 300 of them, and model
    # instances with three related rows each cost more than every GROUP BY below.
    targets_of = defaultdict(list)
    for target in (
        PlanTarget.objects.filter(plan__in=[plan.pk for plan in plans])
        .order_by("plan", "id")
        .values(*_TARGET_VALUES)
    ):
        targets_of[target["plan"]].append(_target_row(target))

    rows, counted_slugs = [], set()
    for plan in plans:
        slugs = provinces.lineage(plan.province_id) if rollup else {plan.province_id}
        if scope is not None:
            slugs &= set(scope)
        counted_slugs |= slugs
        ordered = sorted(slugs, key=provinces.sort_key)
        rows.append(
            PlanRow(
                id=plan.pk,
                province=plan.province_id,
                province_name=plan.province.name,
                fund=plan.fund_id,
                fund_label=plan.fund.short_name,
                year_from=plan.year_from,
                year_to=plan.year_to,
                target_support_vnd=plan.target_support_vnd,
                target_proposals=plan.target_proposals,
                counted_provinces=ordered,
                counted_province_names=[provinces.name(s) for s in ordered],
                targets=targets_of[plan.pk],
                list_params={
                    "province": sorted(slugs),
                    "fund": plan.fund_id,
                    "year_from": plan.year_from,
                    "year_to": plan.year_to,
                    "content": None,
                    "activity": None,
                },
            )
        )

    # Plans by (province, fund): a national report has ~250 plans and ~1 300 cells.
    plans_for = defaultdict(list)
    for row in rows:
        for slug in row.counted_provinces:
            plans_for[(slug, row.fund)].append(row)

    def plans_of(cell):
        return [
            row for row in plans_for[(cell["province"], cell["fund"])] if row.covers(cell["year"])
        ]

    counted = Proposal.objects.counted_in_reports().filter(
        province__in=counted_slugs,
        fund__in={row.fund for row in rows},
        year__gte=min(row.year_from for row in rows),
        year__lte=max(row.year_to for row in rows),
    )
    # One query for every plan: support and proposals per province, fund, year, content and
    # activity type, added up per plan and per proposal-counting target below.
    for cell in _grouped(counted, "province", "fund", "year", "content", "activity"):
        for row in plans_of(cell):
            row.support_vnd += int(cell["support"])
            row.proposals += int(cell["n"])
            for target in row.targets:
                if target.indicator is None and target.counts(cell["content"], cell["activity"]):
                    target.achieved += int(cell["n"])

    if any(t.indicator for row in rows for t in row.targets):
        # And one for every indicator target: planned and actual per the same cells.
        outputs = (
            OutcomeIndicator.objects.filter(proposal__in=counted, indicator__isnull=False)
            .values(
                "indicator",
                province=F("proposal__province"),
                fund=F("proposal__fund"),
                year=F("proposal__year"),
                content=F("proposal__content"),
                activity=F("proposal__activity"),
            )
            .annotate(planned=Coalesce(Sum("planned"), 0), actual=Coalesce(Sum("actual"), 0))
            .order_by()
        )
        for cell in outputs:
            for row in plans_of(cell):
                for target in row.targets:
                    if target.indicator == cell["indicator"] and target.counts(
                        cell["content"], cell["activity"]
                    ):
                        target.planned += int(cell["planned"])
                        target.achieved += int(cell["actual"])
    return rows


_TARGET_VALUES = (
    "plan",
    "content",
    "content__short_name",
    "activity",
    "activity__name",
    "activity__name_en",
    "indicator",
    "indicator__name",
    "indicator__name_en",
    "description",
    "count",
    "unit",
)


def _target_row(target: dict) -> PlanTargetRow:
    """A PlanTargetRow from a row of PlanTarget.values(*_TARGET_VALUES)."""
    return PlanTargetRow(
        content=target["content"],
        content_label=target["content__short_name"] or "",
        activity=target["activity"],
        activity_label=Catalogue.in_language(target["activity__name"], target["activity__name_en"]),
        indicator=target["indicator"],
        indicator_label=Catalogue.in_language(
            target["indicator__name"], target["indicator__name_en"]
        ),
        description=target["description"],
        count=target["count"],
        unit=target["unit"],
        planned=0 if target["indicator"] else None,
    )


def _today_provinces(scope, provinces: _ProvinceMap) -> list[Province]:
    """Today's provinces a scoped user acts for (empty for a national user)."""
    if scope is None:
        return []
    slugs = {provinces.today(slug) for slug in scope if slug in provinces.by_slug}
    return [provinces.by_slug[slug] for slug in sorted(slugs, key=provinces.sort_key)]


def _place(filters: ReportFilters, scope, provinces: _ProvinceMap) -> str:
    """What the report covers, in words: 'Bắc Ninh (gồm cả Bắc Giang)', 'Toàn quốc'."""

    def with_predecessors(slug):
        older = sorted(provinces.lineage(slug) - {slug}, key=provinces.sort_key)
        if scope is not None:
            older = [s for s in older if s in scope]
        if not older:
            return provinces.name(slug)
        names = ", ".join(provinces.name(s) for s in older)
        return _("%(name)s (gồm cả %(older)s)") % {"name": provinces.name(slug), "older": names}

    if filters.provinces:
        slugs = sorted(filters.provinces, key=provinces.sort_key)
        if filters.rollup:
            return ", ".join(with_predecessors(slug) for slug in slugs)
        return ", ".join(provinces.name(slug) for slug in slugs)
    if scope is None:
        return _("Toàn quốc")
    today = _today_provinces(scope, provinces)
    return ", ".join(with_predecessors(p.slug) for p in today) or _("Không có tỉnh nào")


def _file_stem(filters: ReportFilters, scope, provinces: _ProvinceMap) -> str:
    """bao-cao-khuyen-cong-2016-2020-bac-giang (ASCII: slugs and digits only)."""
    parts = ["bao-cao-khuyen-cong"]
    if filters.year_from and filters.year_to:
        parts.append(
            str(filters.year_from)
            if filters.year_from == filters.year_to
            else f"{filters.year_from}-{filters.year_to}"
        )
    elif filters.year_from:
        parts.append(f"tu-{filters.year_from}")
    elif filters.year_to:
        parts.append(f"den-{filters.year_to}")
    if filters.provinces:
        parts.extend(sorted(filters.provinces, key=provinces.sort_key))
    elif scope is None:
        parts.append("toan-quoc")
    else:
        parts.extend(p.slug for p in _today_provinces(scope, provinces))
    if filters.fund:
        parts.append(filters.fund)
    if filters.content:
        parts.append(f"noi-dung-{filters.content}")
    if filters.activity:
        parts.append(filters.activity.replace("_", "-"))
    return "-".join(parts)
