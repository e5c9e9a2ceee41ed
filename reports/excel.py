"""The summary as an Excel workbook: one sheet per table, plus the counted proposals.

The whole workbook is written in openpyxl's write-only mode, so the proposal list streams
row by row from the database (100 000 proposals stay within a small, flat memory budget).
Amounts are integer đồng stored as numbers with number formats; ratios are numbers too;
text follows the one formula policy of `khuyencong.sheets`.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.sheets import (
    AMOUNT,
    CONTENT_TYPE,
    COUNT,
    DATE,
    DATETIME,
    PERCENT,
    RATIO,
    YEAR,
    Table,
    new_workbook,
)
from proposals.models import Kind, State

__all__ = ["CONTENT_TYPE", "write_summary_workbook"]


def _figure_columns():
    return [
        (_("Số đề án"), 10, COUNT),
        (_("Kinh phí hỗ trợ (đồng)"), 20, AMOUNT),
        (_("Vốn đối ứng (đồng)"), 20, AMOUNT),
        (_("Nguồn khác (đồng)"), 18, AMOUNT),
        (_("Tổng kinh phí (đồng)"), 20, AMOUNT),
        (_("Tỷ lệ thu hút (lần)"), 12, RATIO),
        (_("Tỷ trọng hỗ trợ"), 12, PERCENT),
    ]


def _figures(row, share=True):
    return [
        row.proposals,
        row.support_vnd,
        row.counterpart_vnd,
        row.other_vnd,
        row.total_cost_vnd,
        row.leverage,
        row.share if share else None,
    ]


def _total_row(summary, lead):
    figures = _figures(summary.totals, share=False)
    figures[-1] = 1 if summary.totals.support_vnd else None
    return [*lead, *figures]


def write_summary_workbook(summary, out, *, generated_by: str, generated_at) -> None:
    """Write the workbook of `summary` to `out` (a path or a binary file object)."""
    title = _("Báo cáo khuyến công %(period)s %(place)s") % {
        "period": summary.period,
        "place": summary.place,
    }
    workbook = new_workbook(title=title, creator=generated_by)
    _summary_sheet(workbook, summary, generated_by, generated_at)
    _breakdown(workbook, summary, _("Theo nguồn kinh phí"), _("Nguồn kinh phí"), summary.by_fund)
    _breakdown(workbook, summary, _("Theo nội dung"), _("Nội dung hoạt động"), summary.by_content)
    _by_activity(workbook, summary)
    _outputs(workbook, summary)
    _by_province(workbook, summary)
    _by_unit(workbook, summary)
    _by_year(workbook, summary)
    _by_legal_form(workbook, summary)
    _by_area_class(workbook, summary)
    _plans(workbook, summary)
    _proposals(workbook, summary)
    workbook.save(out)


def _summary_sheet(workbook, summary, generated_by, generated_at):
    table = Table(
        workbook,
        _("Tổng hợp"),
        [(_("Chỉ tiêu"), 36, None), (_("Giá trị"), 44, None), (_("Đơn vị"), 12, None)],
    )
    everything = _("Tất cả")
    rows = [
        (_("Báo cáo"), _("Tổng hợp kết quả hoạt động khuyến công"), "", None),
        (_("Phạm vi"), summary.place, "", None),
        (_("Giai đoạn"), summary.period or everything, "", None),
        (_("Nguồn kinh phí"), summary.fund_label or everything, "", None),
        (_("Nội dung hoạt động"), summary.content_label or everything, "", None),
        (_("Loại hoạt động"), summary.activity_label or everything, "", None),
        (
            _("Gộp tỉnh cũ vào tỉnh hiện nay"),
            _("Có") if summary.filters.rollup else _("Không"),
            "",
            None,
        ),
        (_("Số đề án"), summary.totals.proposals, _("đề án"), COUNT),
        (_("Số cơ sở thụ hưởng"), summary.facilities, _("cơ sở"), COUNT),
        (_("Kinh phí khuyến công hỗ trợ"), summary.totals.support_vnd, _("đồng"), AMOUNT),
        (_("Vốn đối ứng"), summary.totals.counterpart_vnd, _("đồng"), AMOUNT),
        (_("Nguồn khác"), summary.totals.other_vnd, _("đồng"), AMOUNT),
        (_("Tổng kinh phí"), summary.totals.total_cost_vnd, _("đồng"), AMOUNT),
        (_("Tỷ lệ thu hút vốn đối ứng"), summary.totals.leverage, _("lần"), RATIO),
        (_("Người lập"), generated_by, "", None),
        # Excel has no time zones: the local time, naive.
        (
            _("Thời điểm lập"),
            timezone.localtime(generated_at).replace(tzinfo=None, microsecond=0),
            "",
            DATETIME,
        ),
    ]
    for label, value, unit, fmt in rows:
        table.append([label, value, unit], formats=[None, fmt, None])
    table.close()


def _breakdown(workbook, summary, title, name_header, rows):
    table = Table(
        workbook,
        title,
        [(_("Mã"), 10, None), (name_header, 34, None), *_figure_columns()],
    )
    for row in rows:
        table.append([row.key, row.label, *_figures(row)])
    table.close(_total_row(summary, ["", _("Tổng cộng")]))


def _by_activity(workbook, summary):
    table = Table(
        workbook,
        _("Theo loại hoạt động"),
        [
            (_("Mã loại hoạt động"), 26, None),
            (_("Loại hoạt động"), 44, None),
            (_("Nội dung"), 9, COUNT),
            *_figure_columns(),
        ],
    )
    for row in summary.by_activity:
        table.append([row.key or "", row.label, row.content, *_figures(row)])
    table.close(_total_row(summary, ["", _("Tổng cộng"), None]))


def _outputs(workbook, summary):
    table = Table(
        workbook,
        _("Kết quả đầu ra"),
        [
            (_("Mã chỉ tiêu"), 24, None),
            (_("Chỉ tiêu"), 50, None),
            (_("Đơn vị tính"), 14, None),
            (_("Số đề án"), 10, COUNT),
            (_("Kế hoạch"), 12, COUNT),
            (_("Thực hiện (nghiệm thu)"), 14, COUNT),
            (_("Đề án đã nghiệm thu"), 12, COUNT),
        ],
    )
    for row in summary.outputs:
        # An empty cell, not 0, while no proposal with the indicator is accepted.
        table.append(
            [row.key, row.label, row.unit, row.proposals, row.planned, row.actual, row.accepted]
        )
    table.close()


def _by_area_class(workbook, summary):
    table = Table(
        workbook,
        _("Theo địa bàn"),
        [
            (_("Mã"), 26, None),
            (_("Địa bàn"), 30, None),
            (_("Số cơ sở thụ hưởng"), 14, COUNT),
            (_("Số đề án"), 10, COUNT),
            (_("Kinh phí hỗ trợ (đồng)"), 20, AMOUNT),
            (_("Tỷ trọng"), 12, PERCENT),
        ],
    )
    for row in summary.by_area_class:
        table.append(
            [row.key, row.label, row.facilities, row.proposals, row.support_vnd, row.share]
        )
    total = summary.area_class_support_vnd
    table.close(["", _("Tổng cộng"), summary.facilities, None, total, 1 if total else None])


def _by_unit(workbook, summary):
    table = Table(
        workbook,
        _("Theo đơn vị chủ trì"),
        [
            (_("Mã"), 16, None),
            (_("Loại đơn vị chủ trì"), 34, None),
            (_("Số đơn vị"), 10, COUNT),
            *_figure_columns(),
        ],
    )
    for row in summary.by_unit:
        table.append([row.key, row.label, row.units, *_figures(row)])
    table.close(_total_row(summary, ["", _("Tổng cộng"), None]))


def _by_province(workbook, summary):
    columns = [
        (_("Mã tỉnh"), 16, None),
        (_("Tỉnh, thành phố"), 22, None),
        (_("Thuộc tỉnh, thành phố hiện nay"), 22, None),
        *_figure_columns(),
    ]
    table = Table(workbook, _("Theo tỉnh, thành phố"), columns)
    for row in summary.by_province:
        for part in row.parts or [row]:
            table.append([part.key, part.label, row.label, *_figures(part)])
    table.close(_total_row(summary, ["", _("Tổng cộng"), ""]))
    if summary.filters.rollup:
        table = Table(
            workbook,
            _("Gộp theo tỉnh hiện nay"),
            [
                (_("Mã tỉnh"), 16, None),
                (_("Tỉnh, thành phố hiện nay"), 22, None),
                (_("Gồm số liệu của"), 30, None),
                *_figure_columns(),
            ],
        )
        for row in summary.by_province:
            parts = ", ".join(part.label for part in row.parts)
            table.append([row.key, row.label, parts, *_figures(row)])
        table.close(_total_row(summary, ["", _("Tổng cộng"), ""]))


def _by_year(workbook, summary):
    fund_columns = [
        (_("Hỗ trợ %(fund)s (đồng)") % {"fund": fund.short_name}, 20, AMOUNT)
        for fund in summary.funds
    ]
    table = Table(workbook, _("Theo năm"), [(_("Năm"), 8, YEAR), *_figure_columns(), *fund_columns])
    for row in summary.by_year:
        by_fund = [row.support_by_fund.get(fund.key, 0) for fund in summary.funds]
        table.append([row.key, *_figures(row), *by_fund])
    fund_totals = [row.support_vnd for row in summary.by_fund]
    table.close([*_total_row(summary, [_("Tổng")]), *fund_totals])


def _by_legal_form(workbook, summary):
    table = Table(
        workbook,
        _("Theo loại hình cơ sở"),
        [
            (_("Mã"), 14, None),
            (_("Loại hình cơ sở"), 30, None),
            (_("Số cơ sở thụ hưởng"), 14, COUNT),
            (_("Tỷ trọng"), 12, PERCENT),
        ],
    )
    for row in summary.by_legal_form:
        table.append([row.key, row.label, row.facilities, row.share])
    table.close(["", _("Tổng cộng"), summary.facilities, 1 if summary.facilities else None])


def _plans(workbook, summary):
    table = Table(
        workbook,
        _("Kế hoạch giai đoạn"),
        [
            (_("Tỉnh, thành phố"), 20, None),
            (_("Nguồn kinh phí"), 16, None),
            (_("Từ năm"), 9, YEAR),
            (_("Đến năm"), 9, YEAR),
            (_("Mục tiêu kinh phí hỗ trợ (đồng)"), 22, AMOUNT),
            (_("Đã thực hiện (đồng)"), 20, AMOUNT),
            (_("Số đề án"), 10, COUNT),
            (_("Mức đạt"), 10, PERCENT),
            (_("Tính cả số liệu của"), 30, None),
            (_("Số đề án mục tiêu"), 12, COUNT),
            (_("Mức đạt số đề án"), 12, PERCENT),
        ],
    )
    for plan in summary.plans:
        table.append(
            [
                plan.province_name,
                plan.fund_label,
                plan.year_from,
                plan.year_to,
                plan.target_support_vnd,
                plan.support_vnd,
                plan.proposals,
                plan.achievement,
                ", ".join(plan.counted_province_names),
                plan.target_proposals,
                plan.proposals_achievement,
            ]
        )
    table.close()

    table = Table(
        workbook,
        _("Chỉ tiêu kế hoạch"),
        [
            (_("Tỉnh, thành phố"), 20, None),
            (_("Nguồn kinh phí"), 16, None),
            (_("Giai đoạn"), 12, None),
            (_("Nội dung"), 8, COUNT),
            (_("Loại hoạt động"), 22, None),
            (_("Chỉ tiêu đầu ra"), 24, None),
            (_("Chỉ tiêu"), 44, None),
            (_("Mục tiêu"), 10, COUNT),
            (_("Đơn vị"), 12, None),
            (_("Các đề án dự kiến"), 12, COUNT),
            (_("Đã đạt"), 10, COUNT),
            (_("Mức đạt"), 10, PERCENT),
        ],
    )
    for plan in summary.plans:
        for target in plan.targets:
            table.append(
                [
                    plan.province_name,
                    plan.fund_label,
                    f"{plan.year_from}–{plan.year_to}",
                    target.content,
                    target.activity,
                    target.indicator,
                    target.label,
                    target.count,
                    target.unit,
                    target.planned,
                    target.achieved,
                    target.achievement,
                ]
            )
    table.close()


_PROPOSAL_FIELDS = (
    "code",
    "title",
    "year",
    "province_id",
    "province__name",
    "fund__short_name",
    "content_id",
    "activity_id",
    "kind",
    "state",
    "decision_number",
    "decision_date",
    "implementing_unit",
    "final_support_vnd",
    "final_counterpart_vnd",
    "final_other_vnd",
)


def _proposals(workbook, summary):
    """Every counted proposal, streamed from the database in chunks."""
    table = Table(
        workbook,
        _("Đề án được tính"),
        [
            (_("Mã đề án"), 18, None),
            (_("Tên đề án"), 60, None),
            (_("Năm"), 7, YEAR),
            (_("Mã tỉnh"), 14, None),
            (_("Tỉnh, thành phố"), 18, None),
            (_("Nguồn kinh phí"), 14, None),
            (_("Nội dung"), 9, COUNT),
            (_("Mã loại hoạt động"), 24, None),
            (_("Loại đề án"), 14, None),
            (_("Trạng thái"), 16, None),
            (_("Số quyết định"), 16, None),
            (_("Ngày quyết định"), 14, DATE),
            (_("Đơn vị thực hiện"), 36, None),
            (_("Kinh phí hỗ trợ (đồng)"), 18, AMOUNT),
            (_("Vốn đối ứng (đồng)"), 18, AMOUNT),
            (_("Nguồn khác (đồng)"), 16, AMOUNT),
            (_("Tổng kinh phí (đồng)"), 18, AMOUNT),
        ],
    )
    # Labels translated once, not once per row.
    kinds = {key: str(label) for key, label in Kind.choices}
    states = {key: str(label) for key, label in State.choices}
    rows = (
        summary.counted_proposals()
        .order_by("year", "province__name", "code")
        .values_list(*_PROPOSAL_FIELDS)
        .iterator(chunk_size=2000)
    )
    for (
        code,
        title,
        year,
        province,
        province_name,
        fund,
        content,
        activity,
        kind,
        state,
        decision_number,
        decision_date,
        unit,
        support,
        counterpart,
        other,
    ) in rows:
        support, counterpart, other = support or 0, counterpart or 0, other or 0
        table.append(
            [
                code,
                title,
                year,
                province,
                province_name,
                fund,
                content,
                activity,
                kinds.get(kind, kind),
                states.get(state, state),
                decision_number,
                decision_date,
                unit,
                support,
                counterpart,
                other,
                support + counterpart + other,
            ]
        )
    table.close()
