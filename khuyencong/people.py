"""How the portal writes a person's name: one rule for pages, PDF, Excel, the API and mails."""

NOBODY = "—"


def display_name(user) -> str:
    """Vietnamese order, family name first: 'Vũ Thị Mai'.

    Django's `get_full_name()` puts the given name first ('Mai Vũ Thị'), so it is not used. The
    demo accounts keep the whole name in first_name, which reads right here too. Without a name,
    the username; without a user (deleted, or the system), '—'.
    """
    if user is None:
        return NOBODY
    name = " ".join(part.strip() for part in (user.last_name, user.first_name) if part.strip())
    return name or user.get_username()
