"""Report charts drawn server-side as SVG: no JavaScript, no CDN; the same on page and PDF.

Each chart takes a Summary and returns SVG markup (empty when there is nothing to draw).
Amounts stay integer VND; floats appear only as pixel coordinates.
"""

import math
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from khuyencong import money

FUND_COLOURS = {"national": "#0b5394", "provincial": "#e69138", "district": "#6aa84f"}
OTHER_COLOUR = "#8e99a8"
INK, MUTED, GRID, TRACK = "#1d2733", "#5b6675", "#d8dee6", "#e7ecf2"
FONT = "DejaVu Sans, sans-serif"
WIDTH = 680


def _f(value: float) -> str:
    return f"{value:.1f}"


def _text(x, y, text, *, size=10, anchor="start", fill=INK, weight="normal") -> str:
    return (
        f'<text x="{_f(x)}" y="{_f(y)}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{fill}" font-weight="{weight}">{escape(text)}</text>'
    )


def _rect(x, y, width, height, fill, title=None) -> str:
    tooltip = f"<title>{escape(title)}</title>" if title else ""
    return (
        f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(max(width, 0))}" '
        f'height="{_f(max(height, 0))}" fill="{fill}">{tooltip}</rect>'
    )


def _svg(height: float, title: str, body: list[str]) -> str:
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{WIDTH}" height="{_f(height)}" viewBox="0 0 {WIDTH} {_f(height)}" '
        f'font-family="{FONT}"><title>{escape(title)}</title>' + "".join(body) + "</svg>"
    )


def _nice_step(rough: int) -> int:
    """A round axis step (1, 2 or 5 × 10ⁿ) at least `rough`."""
    if rough <= 0:
        return 1
    power = 10 ** int(math.floor(math.log10(rough)))
    for factor in (1, 2, 5, 10):
        if factor * power >= rough:
            return factor * power
    return 10 * power  # pragma: no cover


def support_by_year(summary) -> str:
    """Stacked columns: support per year, one colour per fund (triệu đồng)."""
    rows = summary.by_year
    if not rows or not any(row.support_vnd for row in rows):
        return ""
    height, left, right, top, bottom = 290, 70, 12, 42, 30
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    peak = max(row.support_vnd for row in rows)
    step = _nice_step(-(-peak // 4))
    axis_max = step * -(-peak // step)

    def y(vnd):
        return top + plot_h * (1 - vnd / axis_max)

    body = [_text(left - 8, top - 22, _("triệu đồng"), size=9, anchor="end", fill=MUTED)]
    for tick in range(0, axis_max + 1, step):
        body.append(
            f'<line x1="{left}" x2="{WIDTH - right}" y1="{_f(y(tick))}" y2="{_f(y(tick))}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        body.append(_text(left - 6, y(tick) + 3.5, money.format_trieu(tick), size=9, anchor="end"))
    slot = plot_w / len(rows)
    bar_w = min(46.0, slot * 0.64)
    for index, row in enumerate(rows):
        x = left + index * slot + (slot - bar_w) / 2
        base = 0
        for fund in summary.funds:
            value = row.support_by_fund.get(fund.key, 0)
            if value:
                body.append(
                    _rect(
                        x,
                        y(base + value),
                        bar_w,
                        y(base) - y(base + value),
                        FUND_COLOURS.get(fund.key, OTHER_COLOUR),
                        f"{row.label} · {fund.short_name}: {money.format_trieu(value)}",
                    )
                )
            base += value
        body.append(_text(x + bar_w / 2, height - bottom + 15, row.label, size=9, anchor="middle"))
        if row.support_vnd and len(rows) <= 12:
            body.append(
                _text(
                    x + bar_w / 2,
                    y(row.support_vnd) - 4,
                    money.format_trieu(row.support_vnd),
                    size=8,
                    anchor="middle",
                    fill=MUTED,
                )
            )
    legend_x = left
    for fund in summary.funds:
        body.append(_rect(legend_x, 6, 11, 11, FUND_COLOURS.get(fund.key, OTHER_COLOUR)))
        body.append(_text(legend_x + 16, 15.5, fund.short_name, size=10))
        legend_x += 26 + 7 * len(fund.short_name)
    return _svg(height, _("Kinh phí hỗ trợ theo năm và nguồn kinh phí"), body)


def leverage_by_province(summary) -> str:
    """Horizontal bars: counterpart attracted per đồng of support, by province."""
    rows = summary.leverage_by_province
    if not rows:
        return ""
    label_w, value_w, top, bar_h, gap = 150, 60, 8, 16, 7
    height = top + len(rows) * (bar_h + gap) + 6
    track = WIDTH - label_w - value_w
    peak = max(max(row.leverage for row in rows), Decimal(1))
    body = []
    for index, row in enumerate(rows):
        y = top + index * (bar_h + gap)
        width = track * float(row.leverage / peak)
        body.append(_text(label_w - 8, y + bar_h - 4, row.label, size=10, anchor="end"))
        body.append(_rect(label_w, y, track, bar_h, TRACK))
        body.append(
            _rect(
                label_w,
                y,
                width,
                bar_h,
                "#0b5394",
                f"{row.label}: {money.format_leverage(row.leverage)}",
            )
        )
        body.append(
            _text(label_w + track + 6, y + bar_h - 4, money.format_leverage(row.leverage), size=10)
        )
    return _svg(height, _("Tỷ lệ thu hút vốn đối ứng theo tỉnh, thành phố"), body)


# A bar per plan reads well for one province's plans; a national report's hundreds made a
# column thousands of pixels high and seconds of PDF layout. The plans table lists them all.
MAX_PLAN_BARS = 40


def plan_achievement(summary) -> str:
    """Per plan: the target as a track, the counted support as a bar, the percentage."""
    plans = [plan for plan in summary.plans if plan.target_support_vnd]
    if not plans or len(plans) > MAX_PLAN_BARS:
        return ""
    left, right, top, row_h, bar_h = 8, 8, 6, 44, 14
    height = top + len(plans) * row_h + 4
    track = WIDTH - left - right
    scale = max(max(p.target_support_vnd, p.support_vnd) for p in plans)
    body = []
    for index, plan in enumerate(plans):
        y = top + index * row_h
        figures = _("%(done)s / %(target)s triệu đồng · %(pct)s") % {
            "done": money.format_trieu(plan.support_vnd),
            "target": money.format_trieu(plan.target_support_vnd),
            "pct": money.format_percent(plan.achievement),
        }
        body.append(_text(left, y + 12, plan.label, size=10, weight="bold"))
        body.append(_text(WIDTH - right, y + 12, figures, size=10, anchor="end"))
        target_w = track * plan.target_support_vnd / scale
        body.append(_rect(left, y + 18, target_w, bar_h, TRACK))
        body.append(
            _rect(
                left,
                y + 18 + 3,
                track * plan.support_vnd / scale,
                bar_h - 6,
                FUND_COLOURS.get(plan.fund, OTHER_COLOUR),
            )
        )
        # The 100 % mark: where the target ends.
        body.append(
            f'<line x1="{_f(left + target_w)}" x2="{_f(left + target_w)}" y1="{y + 15}" '
            f'y2="{y + 18 + bar_h + 3}" stroke="{INK}" stroke-width="1.5"/>'
        )
    return _svg(height, _("Mức đạt kế hoạch giai đoạn"), body)


def outputs(summary) -> str:
    """Per output indicator: what was planned as a track, what acceptance recorded as a bar.

    Units differ (people, models, facilities), so each row has its own scale: the longer of
    planned and actual fills the track.
    """
    rows = [row for row in summary.outputs if row.planned or row.actual]
    if not rows:
        return ""
    left, right, top, row_h, bar_h = 8, 8, 22, 40, 14
    height = top + len(rows) * row_h + 4
    track = WIDTH - left - right
    body = [
        _rect(left, 4, 11, 11, TRACK),
        _text(left + 16, 13.5, _("Kế hoạch"), size=10),
        _rect(left + 90, 4, 11, 11, FUND_COLOURS["national"]),
        _text(left + 106, 13.5, _("Thực hiện (nghiệm thu)"), size=10),
    ]
    for index, row in enumerate(rows):
        y = top + index * row_h
        actual = row.actual or 0
        scale = max(row.planned, actual)
        # Counts group their digits like money (60.000), and "—" stands for not yet accepted.
        figures = _("%(done)s / %(planned)s %(unit)s") % {
            "done": money.format_dong(row.actual),
            "planned": money.format_dong(row.planned),
            "unit": row.unit,
        }
        body.append(_text(left, y + 12, row.label, size=10, weight="bold"))
        body.append(_text(WIDTH - right, y + 12, figures, size=10, anchor="end"))
        body.append(_rect(left, y + 18, track * row.planned / scale, bar_h, TRACK))
        body.append(
            _rect(
                left,
                y + 18 + 3,
                track * actual / scale,
                bar_h - 6,
                FUND_COLOURS["national"],
                f"{row.label}: {figures}",
            )
        )
    return _svg(height, _("Kết quả đầu ra: thực hiện so với kế hoạch"), body)


CHARTS = {
    "outputs": outputs,
    "support_by_year": support_by_year,
    "leverage_by_province": leverage_by_province,
    "plan_achievement": plan_achievement,
}
