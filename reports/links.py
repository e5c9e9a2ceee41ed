"""Links from report figures to the proposal list, carrying the same filters."""

from urllib.parse import urlencode

from django.urls import reverse

from proposals.lifecycle import COUNTED_STATES


def proposal_list_url(summary, row=None) -> str:
    """The proposal list narrowed to the report's filters, and to `row` (a breakdown line)."""
    params = dict(summary.list_params)
    params.update(getattr(row, "list_params", {}))
    return _list_url(params)


def plan_proposals_url(plan_row) -> str:
    """The proposal list of the proposals a plan counts (its provinces, fund and years)."""
    return _list_url(dict(plan_row.list_params))


def _list_url(params: dict) -> str:
    # Reports count proposals from approval on; the list narrows to the same states.
    params["state"] = [str(state) for state in COUNTED_STATES]
    query = [
        (key, value)
        for key, values in params.items()
        for value in (values if isinstance(values, list | tuple) else [values])
        if value not in (None, "")
    ]
    url = reverse("proposals:list")
    return f"{url}?{urlencode(query)}" if query else url
