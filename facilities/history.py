"""A facility's edit history as a short timeline, newest first (the diff is khuyencong.history)."""

from khuyencong.history import Edit, edits


def timeline(history, limit: int = 20) -> list[Edit]:
    """The latest `limit` versions, newest first, each with who changed which field from what.

    `history` is a simple-history manager or queryset (`facility.history`). Uses one query for
    the versions and one per foreign key that changed, whatever the number of versions.
    """
    newest_first = history.select_related("history_user").order_by("-history_date", "-history_id")
    records = list(newest_first[: limit + 1])[::-1]
    # One record more than shown: the baseline of the oldest shown edit.
    baseline = records.pop(0) if len(records) > limit else None
    return edits(records, baseline=baseline)[::-1]
