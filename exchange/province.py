"""A province's whole data set as one versioned JSON document, and back.

So a province can move its records to another installation: `manage.py export_province
bac-ninh > f.json` there, `manage.py import_province f.json` here. The document carries the
province and the provinces it succeeded (Bắc Ninh brings Bắc Giang's history): facilities,
allocations, period plans with their targets, and proposals with beneficiaries, indicators,
events, progress reports, payments, acceptance and settlement. References are natural keys
(province slug, fund key, content number, facility tax code, proposal code, username, an
implementing unit by kind, name and province), money is
integer đồng, dates ISO 8601, times ISO 8601 in UTC. Documents (attachment files) and the
field-level edit history are not carried.

The import is one transaction and idempotent: every record is found by its natural key and
written only when something differs; events are appended only when missing.
"""

import datetime
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Prefetch, Q
from django.utils import timezone

from facilities.models import Facility
from funding.models import (
    ActivityContent,
    ActivityType,
    Allocation,
    Fund,
    OutputIndicator,
    Plan,
    PlanTarget,
)
from khuyencong import safejson
from khuyencong.models import Province, Unit
from proposals.models import (
    Acceptance,
    Beneficiary,
    OutcomeIndicator,
    Payment,
    ProgressReport,
    Proposal,
    ProposalEvent,
    Settlement,
)

FORMAT = "khuyencong-exchange"
VERSION = 1
CHUNK = 500


class ExchangeError(Exception):
    """The document cannot be imported; nothing was written."""


# --- values ----------------------------------------------------------------------------------


def _out(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _date(text):
    return datetime.date.fromisoformat(text) if text else None


def _moment(text):
    if not text:
        return None
    value = datetime.datetime.fromisoformat(text)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


def facility_ref(facility) -> str:
    """A facility's natural key: its tax code, else province, name and address."""
    if facility.tax_code:
        return facility.tax_code
    return f"{facility.province_id}|{facility.name}|{facility.address}"


FACILITY_FIELDS = (
    "name",
    "legal_form",
    "province",
    "address",
    "sector",
    "employees",
    "representative",
    "phone",
    "email",
    "area_class",
)
PROPOSAL_FIELDS = (
    "title",
    "year",
    "province",
    "implementing_unit",
    "fund",
    "content",
    "activity",
    "kind",
    "objectives",
    "scale",
    "schedule",
    "start_date",
    "end_date",
    "support_vnd",
    "counterpart_vnd",
    "other_vnd",
    "state",
    "version",
    "decision_number",
    "decision_date",
    "approved_support_vnd",
    "final_support_vnd",
    "final_counterpart_vnd",
    "final_other_vnd",
)
# Document key -> model attribute, where they differ (foreign keys by their natural key).
ATTRIBUTE = {
    "province": "province_id",
    "fund": "fund_id",
    "content": "content_id",
    "activity": "activity_id",
}
DATE_FIELDS = {"start_date", "end_date", "decision_date", "accepted_on", "month"}


def unit_ref(unit) -> dict:
    return {"kind": unit.kind, "name": unit.name, "province": unit.province_id}


def _fields(obj, names) -> dict:
    return {name: _out(getattr(obj, ATTRIBUTE.get(name, name))) for name in names}


# --- export ----------------------------------------------------------------------------------


def lineage(province: Province) -> list[str]:
    return sorted(province.lineage_slugs())


def proposals_of(slugs):
    return Proposal.objects.filter(province__in=slugs)


def facilities_of(slugs):
    """The provinces' facilities and every facility their proposals supported."""
    supported = Beneficiary.objects.filter(proposal__province__in=slugs).values("facility")
    return Facility.objects.filter(Q(province__in=slugs) | Q(pk__in=supported))


class _People:
    """Usernames met while writing; the document lists them once, at the end."""

    def __init__(self):
        self.users = {}

    def __call__(self, user):
        if user is None:
            return None
        self.users.setdefault(user.username, user)
        return user.username

    def as_list(self):
        return [
            {
                "username": u.username,
                "first_name": u.first_name,
                "last_name": u.last_name,
                "email": u.email,
            }
            for _name, u in sorted(self.users.items())
        ]


def _facility(f) -> dict:
    return {
        "ref": facility_ref(f),
        "tax_code": f.tax_code,
        **_fields(f, FACILITY_FIELDS),
        "created_at": _out(f.created_at),
    }


def _proposal(p, person) -> dict:
    acceptance = getattr(p, "acceptance", None)
    settlement = getattr(p, "settlement", None)
    return {
        "code": p.code,
        **_fields(p, PROPOSAL_FIELDS),
        "unit": unit_ref(p.unit),
        "partners": [unit_ref(u) for u in p.partners.all()],
        "created_by": person(p.created_by),
        "created_at": _out(p.created_at),
        "beneficiaries": [
            {
                "facility": facility_ref(b.facility),
                "support_vnd": b.support_vnd,
                "counterpart_vnd": b.counterpart_vnd,
                "actual_support_vnd": b.actual_support_vnd,
                "actual_counterpart_vnd": b.actual_counterpart_vnd,
            }
            for b in p.beneficiaries.all()
        ],
        # `indicator`: the SPEC §3.2 key; null for an "other" row, named by its own text.
        "indicators": [
            {
                "indicator": i.indicator_id,
                "name": i.name,
                "unit": i.unit,
                "planned": i.planned,
                "actual": i.actual,
            }
            for i in p.indicators.all()
        ],
        "events": [
            {
                "action": e.action,
                "from_state": e.from_state,
                "to_state": e.to_state,
                "actor": person(e.actor),
                "at": _out(e.at),
                "comment": e.comment,
                "support_vnd": e.support_vnd,
                "counterpart_vnd": e.counterpart_vnd,
                "other_vnd": e.other_vnd,
                "decision_number": e.decision_number,
                "decision_date": _out(e.decision_date),
            }
            for e in p.events.all()
        ],
        "progress": [
            {
                "month": _out(r.month),
                "percent_complete": r.percent_complete,
                "narrative": r.narrative,
                "created_by": person(r.created_by),
                "created_at": _out(r.created_at),
                "department_comment": r.department_comment,
                "commented_by": person(r.commented_by),
                "commented_at": _out(r.commented_at),
            }
            for r in p.progress.all()
        ],
        "payments": [
            {
                "kind": pay.kind,
                "amount_vnd": pay.amount_vnd,
                "note": pay.note,
                "state": pay.state,
                "requested_by": person(pay.requested_by),
                "requested_at": _out(pay.requested_at),
                "decided_by": person(pay.decided_by),
                "decided_at": _out(pay.decided_at),
                "reason": pay.reason,
            }
            for pay in p.payments.all()
        ],
        "acceptance": None
        if acceptance is None
        else {
            "accepted_on": _out(acceptance.accepted_on),
            "total_cost_vnd": acceptance.total_cost_vnd,
            "support_vnd": acceptance.support_vnd,
            "counterpart_vnd": acceptance.counterpart_vnd,
            "other_vnd": acceptance.other_vnd,
            "council": acceptance.council,
            "created_by": person(acceptance.created_by),
            "created_at": _out(acceptance.created_at),
        },
        "settlement": None
        if settlement is None
        else {
            "decision_number": settlement.decision_number,
            "decision_date": _out(settlement.decision_date),
            "support_vnd": settlement.support_vnd,
            "counterpart_vnd": settlement.counterpart_vnd,
            "other_vnd": settlement.other_vnd,
            "created_by": person(settlement.created_by),
            "created_at": _out(settlement.created_at),
        },
    }


def _array(name: str, items, last=False) -> Iterator[str]:
    yield f'  "{name}": ['
    first = True
    for item in items:
        yield ("\n    " if first else ",\n    ") + json.dumps(item, ensure_ascii=False)
        first = False
    yield ("\n  ]" if not first else "]") + ("\n" if last else ",\n")


def iter_document(province: Province, *, now=None) -> Iterator[str]:
    """The document of `province` as text chunks (streams: memory stays flat)."""
    slugs = lineage(province)
    person = _People()
    head = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": _out(now or timezone.now()),
        "province": province.slug,
        "provinces": slugs,
    }
    yield "{\n"
    for key, value in head.items():
        yield f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n"
    # NULLs placed alike on SQLite and PostgreSQL, so both write the same document.
    facilities = facilities_of(slugs).order_by(
        "province", F("tax_code").asc(nulls_first=True), "name", "address", "pk"
    )
    yield from _array("facilities", (_facility(f) for f in facilities.iterator(CHUNK)))
    allocations = Allocation.objects.filter(province__in=slugs).order_by(
        "province", "year", "fund__order"
    )
    yield from _array(
        "allocations",
        (
            {
                "province": a.province_id,
                "year": a.year,
                "fund": a.fund_id,
                "amount_vnd": a.amount_vnd,
                "decision_number": a.decision_number,
                "note": a.note,
            }
            for a in allocations.iterator(CHUNK)
        ),
    )
    plans = (
        Plan.objects.filter(province__in=slugs)
        .order_by("province", "fund__order", "year_from", "year_to")
        .prefetch_related("targets")
    )
    yield from _array(
        "plans",
        (
            {
                "province": p.province_id,
                "fund": p.fund_id,
                "year_from": p.year_from,
                "year_to": p.year_to,
                "target_support_vnd": p.target_support_vnd,
                "target_proposals": p.target_proposals,
                "note": p.note,
                "targets": [
                    {
                        "content": t.content_id,
                        "activity": t.activity_id,
                        "indicator": t.indicator_id,
                        "description": t.description,
                        "count": t.count,
                        "unit": t.unit,
                    }
                    for t in p.targets.all()
                ],
            }
            for p in plans.iterator(CHUNK)
        ),
    )
    proposals = (
        proposals_of(slugs)
        .order_by("code")
        .select_related("created_by", "acceptance__created_by", "settlement__created_by", "unit")
        .prefetch_related(
            "partners",
            Prefetch("beneficiaries", Beneficiary.objects.select_related("facility")),
            "indicators",
            Prefetch("events", ProposalEvent.objects.select_related("actor")),
            Prefetch(
                "progress", ProgressReport.objects.select_related("created_by", "commented_by")
            ),
            Prefetch("payments", Payment.objects.select_related("requested_by", "decided_by")),
        )
    )
    yield from _array("proposals", (_proposal(p, person) for p in proposals.iterator(CHUNK)))
    yield from _array("people", person.as_list(), last=True)
    yield "}\n"


# --- import ----------------------------------------------------------------------------------


@dataclass
class Report:
    """What an import did, per kind of record."""

    counts: dict = field(default_factory=dict)

    def add(self, kind: str, what: str, n: int = 1) -> None:
        self.counts.setdefault(kind, {"created": 0, "updated": 0, "unchanged": 0})
        self.counts[kind][what] += n

    @property
    def changed(self) -> int:
        return sum(c["created"] + c["updated"] for c in self.counts.values())

    def lines(self) -> list[str]:
        return [
            f"{kind}: {c['created']} mới, {c['updated']} cập nhật, {c['unchanged']} không đổi"
            for kind, c in self.counts.items()
        ]


def load(text: str) -> dict:
    try:
        document = safejson.loads(text)
    except json.JSONDecodeError as error:
        raise ExchangeError(f"Tệp không phải JSON hợp lệ: {error}") from error
    except safejson.UnsafeJson as error:
        raise ExchangeError(error.message) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ExchangeError(f"Tệp không phải tài liệu trao đổi “{FORMAT}”.")
    if document.get("version") != VERSION:
        raise ExchangeError(
            f"Phiên bản tài liệu {document.get('version')} không được hỗ trợ (cần {VERSION})."
        )
    return document


def _check_references(document) -> None:
    provinces = set(Province.objects.values_list("slug", flat=True))
    funds = set(Fund.objects.values_list("key", flat=True))
    contents = set(ActivityContent.objects.values_list("number", flat=True))
    activities = dict(ActivityType.objects.values_list("key", "content"))
    indicators = set(OutputIndicator.objects.values_list("key", flat=True))
    problems = set()
    records = (
        document["facilities"] + document["allocations"] + document["plans"] + document["proposals"]
    )
    for record in records:
        if record.get("province") not in provinces:
            problems.add(f"tỉnh {record.get('province')}")
        if "fund" in record and record["fund"] not in funds:
            problems.add(f"nguồn kinh phí {record['fund']}")
        if "content" in record and record["content"] not in contents:
            problems.add(f"nội dung {record['content']}")
        activity = record.get("activity")
        if activity and activity not in activities:
            problems.add(f"loại hoạt động {activity}")
        elif activity and activities[activity] != record.get("content"):
            problems.add(f"loại hoạt động {activity} ngoài nội dung {record.get('content')}")
        keys = [
            row.get("indicator") for row in record.get("indicators", []) if row.get("indicator")
        ]
        problems.update(f"chỉ tiêu {key}" for key in keys if key not in indicators)
        problems.update(
            f"chỉ tiêu {key} hai lần trong đề án {record.get('code')}"
            for key in keys
            if keys.count(key) > 1
        )
    for plan in document["plans"]:
        for target in plan["targets"]:
            content, activity = target.get("content"), target.get("activity")
            indicator = target.get("indicator")
            if content is not None and content not in contents:
                problems.add(f"nội dung {content}")
            if activity and activity not in activities:
                problems.add(f"loại hoạt động {activity}")
            elif activity and content is not None and activities[activity] != content:
                problems.add(f"loại hoạt động {activity} ngoài nội dung {content}")
            if indicator and indicator not in indicators:
                problems.add(f"chỉ tiêu {indicator}")
            if content is None and not activity and not indicator:
                problems.add(f"chỉ tiêu kế hoạch không đo gì ({plan.get('province')})")
    allowed = set(document["provinces"])
    for proposal in document["proposals"]:
        if proposal["province"] not in allowed:
            problems.add(f"đề án {proposal['code']} thuộc tỉnh ngoài tài liệu")
    if problems:
        raise ExchangeError(
            "Tài liệu tham chiếu dữ liệu không có ở đây: " + ", ".join(sorted(problems))
        )


def _save(model, obj, values: dict, auto: dict, report: Report, kind: str, lookup: dict):
    """Create or update `obj` (None: not found) so it holds `values`; `auto` are auto_now_add
    fields, which only a queryset update can set."""
    if obj is None:
        obj = model(**lookup, **values)
        obj.save()
        report.add(kind, "created")
    else:
        changed = {k: v for k, v in values.items() if getattr(obj, k) != v}
        for name, value in changed.items():
            setattr(obj, name, value)
        if changed:
            obj.save()
        report.add(kind, "updated" if changed else "unchanged")
    stale = {k: v for k, v in auto.items() if v is not None and getattr(obj, k) != v}
    if stale:
        model.objects.filter(pk=obj.pk).update(**stale)
        for name, value in stale.items():
            setattr(obj, name, value)
    return obj


class _Importer:
    def __init__(self, document):
        self.document = document
        self.report = Report()
        self.users = {}
        self.facilities = {}

    def run(self) -> Report:
        _check_references(self.document)
        self._people()
        for record in self.document["facilities"]:
            self._facility(record)
        for record in self.document["allocations"]:
            self._allocation(record)
        for record in self.document["plans"]:
            self._plan(record)
        for record in self.document["proposals"]:
            self._proposal(record)
        return self.report

    def _people(self):
        User = get_user_model()
        for person in self.document.get("people", []):
            user = User.objects.filter(username=person["username"]).first()
            if user is None:
                # History keeps its names; the account cannot log in until an admin says so.
                user = User(
                    username=person["username"],
                    first_name=person.get("first_name", ""),
                    last_name=person.get("last_name", ""),
                    email=person.get("email", ""),
                    is_active=False,
                )
                user.set_unusable_password()
                user.save()
                self.report.add("people", "created")
            else:
                self.report.add("people", "unchanged")
            self.users[user.username] = user

    def _unit(self, ref) -> Unit:
        """A centre by its province, any other unit by kind and name; a provider or other unit
        this installation lacks is created, the seeded centres must exist."""
        if ref["kind"] == Unit.Kind.CENTRE:
            unit = Unit.objects.filter(kind=ref["kind"], province_id=ref["province"]).first()
        else:
            unit = Unit.objects.filter(kind=ref["kind"], name=ref["name"]).first()
        if unit is None and ref["kind"] in (Unit.Kind.PROVIDER, Unit.Kind.OTHER):
            unit = Unit.objects.create(
                kind=ref["kind"], name=ref["name"], province_id=ref["province"]
            )
            self.report.add("units", "created")
        if unit is None:
            raise ExchangeError(f"Không có đơn vị thực hiện {ref['name'] or ref['province']}.")
        return unit

    def _user(self, username):
        if username is None:
            return None
        try:
            return self.users[username]
        except KeyError:
            raise ExchangeError(f"Người dùng {username} không có trong mục people.") from None

    def _facility(self, record):
        values = {ATTRIBUTE.get(k, k): record[k] for k in FACILITY_FIELDS}
        if record["tax_code"]:
            existing = Facility.objects.filter(tax_code=record["tax_code"]).first()
        else:
            existing = (
                Facility.objects.filter(
                    tax_code__isnull=True,
                    province=record["province"],
                    name=record["name"],
                    address=record["address"],
                )
                .order_by("pk")
                .first()
            )
        if existing is not None and existing.province_id != record["province"]:
            raise ExchangeError(
                f"Cơ sở {record['ref']} đã có ở đây nhưng thuộc tỉnh {existing.province_id}, "
                f"tài liệu ghi {record['province']}."
            )
        facility = _save(
            Facility,
            existing,
            values,
            {"created_at": _moment(record.get("created_at"))},
            self.report,
            "facilities",
            {"tax_code": record["tax_code"]},
        )
        self.facilities[record["ref"]] = facility

    def _allocation(self, record):
        lookup = {
            "province_id": record["province"],
            "year": record["year"],
            "fund_id": record["fund"],
        }
        existing = Allocation.objects.filter(**lookup).first()
        values = {k: record[k] for k in ("amount_vnd", "decision_number", "note")}
        _save(Allocation, existing, values, {}, self.report, "allocations", lookup)

    def _plan(self, record):
        lookup = {
            "province_id": record["province"],
            "fund_id": record["fund"],
            "year_from": record["year_from"],
            "year_to": record["year_to"],
        }
        existing = Plan.objects.filter(**lookup).first()
        values = {k: record[k] for k in ("target_support_vnd", "note")}
        # Documents written before plans counted proposals or named keys carry neither.
        values["target_proposals"] = record.get("target_proposals")
        plan = _save(Plan, existing, values, {}, self.report, "plans", lookup)
        wanted = [
            (
                t.get("content"),
                t.get("activity"),
                t.get("indicator"),
                t["description"],
                t["count"],
                t["unit"],
            )
            for t in record["targets"]
        ]
        current = [
            (t.content_id, t.activity_id, t.indicator_id, t.description, t.count, t.unit)
            for t in plan.targets.order_by("id")
        ]
        if wanted != current:
            plan.targets.all().delete()
            PlanTarget.objects.bulk_create(
                PlanTarget(
                    plan=plan,
                    content_id=c,
                    activity_id=a,
                    indicator_id=i,
                    description=d,
                    count=n,
                    unit=u,
                )
                for c, a, i, d, n, u in wanted
            )

    def _proposal(self, record):
        values = {}
        for name in PROPOSAL_FIELDS:
            # A document written before activity types names none.
            value = record.get(name) if name == "activity" else record[name]
            values[ATTRIBUTE.get(name, name)] = _date(value) if name in DATE_FIELDS else value
        values["created_by"] = self._user(record.get("created_by"))
        # A document written before units were records names none: the province's centre.
        values["unit"] = self._unit(
            record.get("unit") or {"kind": "centre", "name": "", "province": record["province"]}
        )
        existing = Proposal.objects.filter(code=record["code"]).first()
        if existing is not None and existing.province_id != record["province"]:
            raise ExchangeError(
                f"Mã đề án {record['code']} đã được dùng ở đây cho tỉnh {existing.province_id}."
            )
        proposal = _save(
            Proposal,
            existing,
            values,
            {"created_at": _moment(record.get("created_at"))},
            self.report,
            "proposals",
            {"code": record["code"]},
        )
        partners = [self._unit(ref) for ref in record.get("partners", [])]
        if {u.pk for u in partners} != set(proposal.partners.values_list("pk", flat=True)):
            proposal.partners.set(partners)
        self._beneficiaries(proposal, record["beneficiaries"])
        self._indicators(proposal, record["indicators"])
        self._events(proposal, record["events"])
        self._progress(proposal, record["progress"])
        self._payments(proposal, record["payments"])
        self._acceptance(proposal, record["acceptance"])
        self._settlement(proposal, record["settlement"])

    def _beneficiaries(self, proposal, rows):
        def key(facility, b):
            return (
                facility.pk,
                b["support_vnd"],
                b["counterpart_vnd"],
                b["actual_support_vnd"],
                b["actual_counterpart_vnd"],
            )

        try:
            wanted = [key(self.facilities[b["facility"]], b) for b in rows]
        except KeyError as error:
            raise ExchangeError(
                f"Đề án {proposal.code}: cơ sở {error.args[0]} không có trong mục facilities."
            ) from None
        current = [
            (
                b.facility_id,
                b.support_vnd,
                b.counterpart_vnd,
                b.actual_support_vnd,
                b.actual_counterpart_vnd,
            )
            for b in proposal.beneficiaries.order_by("id")
        ]
        if wanted == current:
            return
        proposal.beneficiaries.all().delete()
        Beneficiary.objects.bulk_create(
            Beneficiary(
                proposal=proposal,
                facility_id=f,
                support_vnd=s,
                counterpart_vnd=c,
                actual_support_vnd=a_s,
                actual_counterpart_vnd=a_c,
            )
            for f, s, c, a_s, a_c in wanted
        )

    def _indicators(self, proposal, rows):
        # A document written before the catalogue has no `indicator`: its rows stay "other".
        wanted = [
            (i.get("indicator"), i["name"], i["unit"], i["planned"], i["actual"]) for i in rows
        ]
        current = [
            (i.indicator_id, i.name, i.unit, i.planned, i.actual)
            for i in proposal.indicators.order_by("id")
        ]
        if wanted == current:
            return
        proposal.indicators.all().delete()
        OutcomeIndicator.objects.bulk_create(
            OutcomeIndicator(proposal=proposal, indicator_id=k, name=n, unit=u, planned=p, actual=a)
            for k, n, u, p, a in wanted
        )

    def _events(self, proposal, rows):
        """Events are history: appended when missing, never changed or removed."""
        have = {
            (e.action, e.from_state, e.to_state, e.at)
            for e in proposal.events.only("action", "from_state", "to_state", "at")
        }
        for e in rows:
            at = _moment(e["at"])
            if (e["action"], e["from_state"], e["to_state"], at) in have:
                continue
            ProposalEvent.objects.create(
                proposal=proposal,
                action=e["action"],
                from_state=e["from_state"],
                to_state=e["to_state"],
                actor=self._user(e["actor"]),
                comment=e["comment"],
                support_vnd=e["support_vnd"],
                counterpart_vnd=e["counterpart_vnd"],
                other_vnd=e["other_vnd"],
                decision_number=e["decision_number"],
                decision_date=_date(e["decision_date"]),
                at=at,
            )
            self.report.add("events", "created")

    def _progress(self, proposal, rows):
        for r in rows:
            month = _date(r["month"])
            existing = proposal.progress.filter(month=month).first()
            values = {
                "percent_complete": r["percent_complete"],
                "narrative": r["narrative"],
                "created_by": self._user(r["created_by"]),
                "department_comment": r["department_comment"],
                "commented_by": self._user(r["commented_by"]),
                "commented_at": _moment(r["commented_at"]),
            }
            _save(
                ProgressReport,
                existing,
                values,
                {"created_at": _moment(r["created_at"])},
                self.report,
                "progress",
                {"proposal": proposal, "month": month},
            )

    def _payments(self, proposal, rows):
        for r in rows:
            requested_at = _moment(r["requested_at"])
            lookup = {"kind": r["kind"], "amount_vnd": r["amount_vnd"]}
            existing = proposal.payments.filter(requested_at=requested_at, **lookup).first()
            values = {
                "note": r["note"],
                "state": r["state"],
                "requested_by": self._user(r["requested_by"]),
                "decided_by": self._user(r["decided_by"]),
                "decided_at": _moment(r["decided_at"]),
                "reason": r["reason"],
            }
            _save(
                Payment,
                existing,
                values,
                {"requested_at": requested_at},
                self.report,
                "payments",
                {"proposal": proposal, **lookup},
            )

    def _acceptance(self, proposal, r):
        if r is None:
            return
        existing = Acceptance.objects.filter(proposal=proposal).first()
        values = {
            "accepted_on": _date(r["accepted_on"]),
            "total_cost_vnd": r["total_cost_vnd"],
            "support_vnd": r["support_vnd"],
            "counterpart_vnd": r["counterpart_vnd"],
            "other_vnd": r["other_vnd"],
            "council": r["council"],
            "created_by": self._user(r["created_by"]),
        }
        _save(
            Acceptance,
            existing,
            values,
            {"created_at": _moment(r["created_at"])},
            self.report,
            "acceptance",
            {"proposal": proposal},
        )

    def _settlement(self, proposal, r):
        if r is None:
            return
        existing = Settlement.objects.filter(proposal=proposal).first()
        values = {
            "decision_number": r["decision_number"],
            "decision_date": _date(r["decision_date"]),
            "support_vnd": r["support_vnd"],
            "counterpart_vnd": r["counterpart_vnd"],
            "other_vnd": r["other_vnd"],
            "created_by": self._user(r["created_by"]),
        }
        _save(
            Settlement,
            existing,
            values,
            {"created_at": _moment(r["created_at"])},
            self.report,
            "settlement",
            {"proposal": proposal},
        )


@transaction.atomic
def import_document(document: dict) -> Report:
    """Write `document` (from `load`); all or nothing. Raises ExchangeError."""
    return _Importer(document).run()
