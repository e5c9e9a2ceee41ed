"""The hand-written SQL a national period summary needs: what reports.summary is measured against.

The same GROUP BY queries a person would write for the figures `summarise()` returns (totals by
year and fund, by content, activity type and implementing unit kind, by province, distinct
facilities by legal form, outputs per indicator, beneficiaries' support by area class, plan
achievement),
in SQL both PostgreSQL and SQLite accept, run on the same connection.
"""

from django.db import connection

from facilities.models import Facility
from funding.models import Plan
from khuyencong.models import Unit
from proposals.lifecycle import ACCEPTED_STATES, COUNTED_STATES
from proposals.models import Beneficiary, OutcomeIndicator, Proposal


def _tables():
    q = connection.ops.quote_name
    return {
        "p": q(Proposal._meta.db_table),
        "b": q(Beneficiary._meta.db_table),
        "f": q(Facility._meta.db_table),
        "o": q(OutcomeIndicator._meta.db_table),
        "plan": q(Plan._meta.db_table),
        "u": q(Unit._meta.db_table),
    }


def summary_queries(year_from: int, year_to: int) -> list[tuple[str, list]]:
    """(sql, params) for a national summary of `year_from`–`year_to`."""
    t = _tables()
    states = [str(s) for s in COUNTED_STATES]
    marks = ", ".join(["%s"] * len(states))
    counted = f"state IN ({marks}) AND year >= %s AND year <= %s"
    params = [*states, year_from, year_to]
    done = [str(s) for s in ACCEPTED_STATES]
    accepted = ", ".join(["%s"] * len(done))
    overlap = "year_to >= %s AND year_from <= %s"
    sums = "COUNT(*), SUM(final_support_vnd), SUM(final_counterpart_vnd), SUM(final_other_vnd)"
    return [
        (
            f"SELECT year, fund_id, {sums} FROM {t['p']} WHERE {counted} GROUP BY year, fund_id",
            params,
        ),
        (
            f"SELECT content_id, activity_id, unit_id, u.kind, {sums}"
            f" FROM {t['p']} JOIN {t['u']} u ON u.id = unit_id WHERE {counted}"
            " GROUP BY content_id, activity_id, unit_id, u.kind",
            params,
        ),
        (f"SELECT province_id, {sums} FROM {t['p']} WHERE {counted} GROUP BY province_id", params),
        (
            f"SELECT f.legal_form, COUNT(*) FROM {t['f']} f WHERE f.id IN ("
            f"SELECT b.facility_id FROM {t['b']} b JOIN {t['p']} p ON p.id = b.proposal_id"
            f" WHERE p.state IN ({marks}) AND p.year >= %s AND p.year <= %s)"
            " GROUP BY f.legal_form",
            params,
        ),
        # Outputs: planned by the counted proposals, actual by the accepted ones among them.
        (
            f"SELECT o.indicator_id, COUNT(DISTINCT o.proposal_id), SUM(o.planned),"
            f" COUNT(DISTINCT CASE WHEN p.state IN ({accepted}) THEN o.proposal_id END),"
            f" SUM(CASE WHEN p.state IN ({accepted}) THEN o.actual END)"
            f" FROM {t['o']} o JOIN {t['p']} p ON p.id = o.proposal_id"
            f" WHERE o.indicator_id IS NOT NULL AND p.state IN ({marks})"
            " AND p.year >= %s AND p.year <= %s GROUP BY o.indicator_id",
            [*done, *done, *params],
        ),
        # Beneficiaries' support (actual, else planned) by their facility's area class.
        (
            f"SELECT f.area_class, COUNT(DISTINCT b.facility_id), COUNT(DISTINCT b.proposal_id),"
            f" SUM(COALESCE(b.actual_support_vnd, b.support_vnd))"
            f" FROM {t['b']} b JOIN {t['p']} p ON p.id = b.proposal_id"
            f" JOIN {t['f']} f ON f.id = b.facility_id"
            f" WHERE p.state IN ({marks}) AND p.year >= %s AND p.year <= %s"
            " GROUP BY f.area_class",
            params,
        ),
        # Plan achievement: support of the plans' provinces and funds over the plans' years.
        (
            f"SELECT p.province_id, p.fund_id, p.year, SUM(p.final_support_vnd), COUNT(*)"
            f" FROM {t['p']} p WHERE p.state IN ({marks})"
            f" AND p.province_id IN (SELECT province_id FROM {t['plan']} WHERE {overlap})"
            f" AND p.fund_id IN (SELECT fund_id FROM {t['plan']} WHERE {overlap})"
            f" AND p.year >= (SELECT MIN(year_from) FROM {t['plan']} WHERE {overlap})"
            f" AND p.year <= (SELECT MAX(year_to) FROM {t['plan']} WHERE {overlap})"
            " GROUP BY p.province_id, p.fund_id, p.year",
            [*states, *[year_from, year_to] * 4],
        ),
    ]


def run_summary_sql(year_from: int, year_to: int) -> dict:
    """Run the hand-written queries; returns the totals (for checking against the ORM's)."""
    results = []
    with connection.cursor() as cursor:
        for sql, params in summary_queries(year_from, year_to):
            cursor.execute(sql, params)
            results.append(cursor.fetchall())
    by_year_fund = results[0]
    return {
        "proposals": sum(int(row[2]) for row in by_year_fund),
        "support_vnd": sum(int(row[3] or 0) for row in by_year_fund),
        "facilities": sum(int(row[1]) for row in results[3]),
    }
