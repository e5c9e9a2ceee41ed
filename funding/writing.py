"""The one way allocations and plans are entered or changed (pages, API, admin).

Each write locks only its own row, checks the user's right to that money, the version the
editor read and the rules, and saves with the version moved on: two editors never lose each
other's work, and no approval slips in below a lowered amount (approvals take the same lock).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from funding import permissions
from funding.forms import AllocationForm
from funding.models import Allocation, Plan, PlanTarget
from khuyencong.errors import allowed
from khuyencong.history import check_version
from khuyencong.money import format_trieu

ALLOCATION_FIELDS = ("year", "fund", "province", "amount_vnd", "decision_number", "note")
# What a target counts when it names no indicator: proposals (of its activity type or content).
PROPOSALS_UNIT = "đề án"
TAKEN = _("Dữ liệu này vừa được người khác nhập. Hãy tải lại.")


def _locked(model, pk):
    # Only this row: never the province's or the fund's, which every writer shares.
    return model.objects.select_for_update(of=("self",)).get(pk=pk)


@transaction.atomic
def save_allocation(user, data: dict, instance=None, expected_version=None) -> Allocation:
    """Enter (`instance` None) or change an allocation from `data` (AllocationForm fields).

    Fields missing from `data` keep their stored value. NotPermitted for money the user may not
    enter, StaleVersion when `expected_version` is given and someone saved since, and
    ValidationError by field (a province absorbed that year, a duplicate, below what approvals
    committed).
    """
    current = None
    if instance is not None and instance.pk:
        current = _locked(Allocation, instance.pk)
        allowed(permissions.may_enter(user, current.fund_id, current.province_id))
        check_version(
            current, expected_version, _("Phân bổ đã được người khác sửa trong lúc bạn đang sửa.")
        )
        stored = {name: getattr(current, name) for name in ALLOCATION_FIELDS}
        stored.update(fund=current.fund_id, province=current.province_id)
        data = {**stored, **data}
    else:
        allowed(permissions.may_enter_any(user))
    form = AllocationForm(data=data, instance=current, user=user)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    allocation = form.save(commit=False)
    if current is not None:
        allocation.version = current.version + 1
    try:
        with transaction.atomic():
            allocation.save()
    except IntegrityError as error:
        # Someone entered the same (province, year, fund) between the check and this insert.
        raise ValidationError(TAKEN) from error
    allocation.refresh_from_db(fields=["committed_vnd"])
    if allocation.amount_vnd < allocation.committed_vnd:
        # A new allocation may find approvals made before it was entered.
        raise ValidationError(
            {
                "amount_vnd": _(
                    "Đã phê duyệt %(approved)s triệu đồng từ phân bổ này; kinh phí phân bổ "
                    "không được thấp hơn mức đó."
                )
                % {"approved": format_trieu(allocation.committed_vnd)}
            }
        )
    return allocation


@transaction.atomic
def save_plan(user, values: dict, targets=None, instance=None, expected_version=None) -> Plan:
    """Enter or change a period plan from `values` (model values: Province and Fund objects).

    `targets` (dicts of content, activity, indicator: model objects or None, at least one
    given; count, description, unit) replace the plan's when given. NotPermitted for money the
    user may not enter, StaleVersion when `expected_version` is stale, ValidationError by field.
    """
    current = None
    if instance is not None and instance.pk:
        current = _locked(Plan, instance.pk)
        allowed(permissions.may_enter(user, current.fund_id, current.province_id))
        check_version(
            current, expected_version, _("Kế hoạch đã được người khác sửa trong lúc bạn đang sửa.")
        )
    plan = current or Plan()
    for name, value in values.items():
        setattr(plan, name, value)
    allowed(permissions.may_enter(user, plan.fund_id, plan.province_id))
    if plan.year_from and plan.year_to and plan.year_to < plan.year_from:
        raise ValidationError({"year_to": _("Năm cuối phải sau năm đầu.")})
    if plan.year_from and plan.province_id and not plan.province.existed_in(plan.year_from):
        raise ValidationError(
            {
                "province": _(
                    "%(province)s không còn tồn tại vào năm %(year)s; hãy chọn %(successor)s."
                )
                % {
                    "province": plan.province,
                    "year": plan.year_from,
                    "successor": plan.province.today(),
                }
            }
        )
    plan.full_clean()
    rows = None if targets is None else _plan_targets(targets)
    if current is not None:
        plan.version = current.version + 1
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as error:
        raise ValidationError(TAKEN) from error
    if rows is not None:
        plan.targets.all().delete()
        for row in rows:
            row.plan = plan
        PlanTarget.objects.bulk_create(rows)
    return plan


def _plan_targets(targets) -> list[PlanTarget]:
    """The plan's target rows, each measuring something and checked by its model's rules."""
    rows, errors = [], []
    for number, row in enumerate(targets, start=1):
        content, activity, indicator = (row.get(k) for k in ("content", "activity", "indicator"))
        if not (content or activity or indicator):
            errors.append(
                _("Chỉ tiêu %(n)s: hãy chọn nội dung, loại hoạt động hoặc chỉ tiêu đầu ra.")
                % {"n": number}
            )
            continue
        if content and activity and activity.content_id != content.pk:
            errors.append(
                _(
                    "Chỉ tiêu %(n)s: loại hoạt động “%(activity)s” thuộc nội dung %(its)s, "
                    "không thuộc nội dung %(content)s."
                )
                % {
                    "n": number,
                    "activity": activity.name,
                    "its": activity.content_id,
                    "content": content.pk,
                }
            )
            continue
        # Unstated, a target reads as what it measures, in the catalogue's words and unit.
        measured = indicator or activity
        target = PlanTarget(
            content=content,
            activity=activity,
            indicator=indicator,
            count=row["count"],
            description=row.get("description")
            or (measured.name if measured else content.short_name),
            unit=row.get("unit") or (indicator.unit if indicator else PROPOSALS_UNIT),
        )
        try:
            target.full_clean(exclude=["plan"])
        except ValidationError as error:
            errors.extend(
                _("Chỉ tiêu %(n)s: %(message)s") % {"n": number, "message": message}
                for message in error.messages
            )
            continue
        rows.append(target)
    if errors:
        raise ValidationError({"targets": errors})
    return rows
