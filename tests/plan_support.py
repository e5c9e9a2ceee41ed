"""A plan with mixed targets and the proposals around it, with hand-counted achievements:
machinery_facilities 7 of 10 (9 planned), demo_model proposals 1 of 4, content 1 proposals 1
of 5, trainees (content 1) 0 of 100 (60 planned); 4 of 8 proposals; 2.000 of 4.000 triệu."""

from proposals.models import OutcomeIndicator
from tests.builders import TRIEU, make_plan, make_proposal


def proposal(code, *, year=2027, state="accepted", activity="machinery", outputs=(), **extra):
    """A proposal of content 3 (unless told) with (indicator, planned, actual) outputs."""
    extra.setdefault("content_id", 3)
    made = make_proposal(
        code,
        year=year,
        state=state,
        activity_id=activity,
        final_support_vnd=500 * TRIEU,
        **extra,
    )
    for indicator, planned, actual in outputs:
        OutcomeIndicator.objects.create(
            proposal=made, indicator_id=indicator, planned=planned, actual=actual
        )
    return made


def mixed_plan():
    """Bắc Ninh's provincial plan 2026–2030 with mixed targets and the proposals around it."""
    made = make_plan(
        "bac-ninh",
        "provincial",
        2026,
        2030,
        target_support_vnd=4_000 * TRIEU,
        target_proposals=8,
        targets=(
            {"indicator_id": "machinery_facilities", "count": 10, "unit": "cơ sở"},
            {"activity_id": "demo_model", "count": 4, "unit": "đề án"},
            {"content_id": 1, "count": 5, "unit": "đề án"},
            {"content_id": 1, "indicator_id": "trainees", "count": 100, "unit": "người"},
        ),
    )
    # Counted: approved (nothing achieved yet), accepted, accepted, in progress.
    proposal("P1", year=2026, state="approved", outputs=[("machinery_facilities", 3, None)])
    proposal("P2", outputs=[("machinery_facilities", 4, 5)])
    proposal(
        "P3",
        activity="demo_model",
        outputs=[("demo_models", 1, 1), ("machinery_facilities", 2, 2)],
    )
    proposal(
        "P4",
        year=2028,
        state="in_progress",
        activity="vocational_training",
        content_id=1,
        outputs=[("trainees", 60, None)],
    )
    # Not counted: a draft, a year after the plan, another fund, another province.
    proposal("D1", state="draft", outputs=[("machinery_facilities", 9, 9)])
    proposal("D2", year=2031, outputs=[("machinery_facilities", 10, 10)])
    proposal("D3", fund="national", outputs=[("machinery_facilities", 10, 10)])
    proposal("D4", province="phu-tho", activity="demo_model", outputs=[("demo_models", 1, 1)])
    return made
