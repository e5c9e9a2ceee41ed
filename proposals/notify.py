"""Who is told about what: e-mail to the people who must act next."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from khuyencong.people import display_name
from khuyencong.roles import Role
from proposals.models import State

log = logging.getLogger(__name__)
S = State

# Who hears about a new state: the role that must act next, and the centre on decisions.
NOTIFY_ROLES = {
    S.SUBMITTED: (Role.DEPARTMENT,),
    S.APPRAISED: (Role.MINISTRY,),
    S.RETURNED: (Role.CENTRE,),
    S.APPROVED: (Role.CENTRE,),
    S.REJECTED: (Role.CENTRE,),
    S.IN_PROGRESS: (Role.DEPARTMENT,),
    S.ACCEPTED: (Role.CENTRE,),
    S.SETTLED: (Role.CENTRE,),
    S.CANCELLED: (Role.CENTRE,),
    S.WITHDRAWN: (Role.DEPARTMENT,),
}


def recipients(proposal, roles) -> list[str]:
    """E-mail addresses of users holding `roles` for the proposal's province (or nationally)."""
    lineage = proposal.province.today().lineage_slugs()
    users = (
        get_user_model()
        .objects.filter(
            Q(memberships__province__in=lineage) | Q(memberships__province__isnull=True),
            memberships__role__in=roles,
            is_active=True,
        )
        .exclude(email="")
    )
    return sorted(set(users.values_list("email", flat=True)))


def notify(proposal, event) -> None:
    """Mail the people who must act next, in Vietnamese whatever the actor's page language."""
    with translation.override(settings.LANGUAGE_CODE):
        _notify(proposal, event)


def _notify(proposal, event) -> None:
    # A mail failure never undoes a committed decision.
    to = recipients(proposal, NOTIFY_ROLES.get(event.to_state, ()))
    if not to:
        return
    subject = _("[Khuyến công] %(code)s: %(state)s") % {
        "code": proposal.code,
        "state": proposal.get_state_display(),
    }
    body = _(
        "Đề án %(code)s — %(title)s\nChuyển từ “%(from)s” sang “%(to)s” bởi %(who)s.\n"
        "%(comment)s\nXem chi tiết: %(url)s"
    ) % {
        "code": proposal.code,
        "title": proposal.title,
        "from": State(event.from_state).label,
        "to": State(event.to_state).label,
        "who": display_name(event.actor),
        "comment": event.comment,
        "url": settings.SITE_URL + proposal.get_absolute_url(),
    }
    try:
        send_mail(subject, body, None, to)
    except Exception:  # noqa: BLE001 - the decision stands; the failure is logged
        log.exception("Could not send notification for proposal %s", proposal.pk)
