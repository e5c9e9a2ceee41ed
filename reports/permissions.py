"""Who may read which reports: every signed-in role reads the summary of the provinces it sees.

Managers (SPEC §1) read and download everything in their scope; provincial staff their province
and the provinces it succeeded; a province outside the scope is "not found" (404), as elsewhere.
"""

from khuyencong import access


def summary_scope(user) -> set[str] | None:
    """Slugs of the provinces the user's reports may cover; None means every province."""
    return access.visible_province_slugs(user)
