"""Who enters which money (SPEC §1): the ministry national allocations and plans for every
province, a department the provincial and district ones of its province (and those it succeeded).

Plain `(allowed, reason)` verdicts; `AllocationRights` computes the user's roles once per
request, so a list can ask row by row without querying.
"""

from django.utils.translation import gettext as _

from funding.models import Fund
from khuyencong.access import has_role, province_slugs_for_role
from khuyencong.models import Province
from khuyencong.roles import Role

Verdict = tuple[bool, str]


class AllocationRights:
    def __init__(self, user):
        self.national = has_role(user, Role.MINISTRY)
        self.local_slugs = province_slugs_for_role(user, Role.DEPARTMENT)  # None: every province

    def may_enter(self, fund_key: str, province_slug: str) -> Verdict:
        if fund_key == Fund.NATIONAL:
            held = self.national
        else:
            held = self.local_slugs is None or province_slug in self.local_slugs
        return (True, "") if held else (False, self.refusal(fund_key))

    def may_enter_any(self) -> Verdict:
        if self.national or self.local_slugs is None or self.local_slugs:
            return True, ""
        return False, _("Chỉ Sở Công Thương và Cục Khuyến công được nhập kinh phí và kế hoạch.")

    def provinces(self):
        """Every province (today's or absorbed) the user may enter some allocation for."""
        if self.national or self.local_slugs is None:
            return Province.objects.all()
        return Province.objects.filter(slug__in=self.local_slugs)

    def refusal(self, fund_key: str) -> str:
        if fund_key == Fund.NATIONAL:
            return _(
                "Kinh phí khuyến công quốc gia do Cục Khuyến công (Bộ Công Thương) phân bổ; "
                "Sở Công Thương chỉ nhập kinh phí khuyến công địa phương."
            )
        if self.national:
            return _("Kinh phí khuyến công địa phương do Sở Công Thương của tỉnh nhập.")
        return _("Bạn chỉ được nhập phân bổ kinh phí của tỉnh mình.")


def may_enter(user, fund_key: str, province_slug: str) -> Verdict:
    """May the user enter or edit the money of `fund_key` for `province_slug`?"""
    return AllocationRights(user).may_enter(fund_key, province_slug)


def may_enter_any(user) -> Verdict:
    return AllocationRights(user).may_enter_any()


def may_enter_plans(user) -> Verdict:
    """May the user enter some period plan (a department, the ministry)?"""
    return AllocationRights(user).may_enter_any()


def may_edit_plan(user, plan) -> Verdict:
    """May the user change `plan`? The department its province's local plans, the ministry
    national ones: the same rule as the money they plan."""
    return AllocationRights(user).may_enter(plan.fund_id, plan.province_id)
