"""Mail about registrations: the applicant at every status change, the centre on arrival.

Sent after the transaction commits; a mail failure is logged and never undoes a step.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _

from khuyencong.roles import Role
from proposals.notify import recipients
from registrations.models import Status

log = logging.getLogger(__name__)


def _send(subject, body, to, registration) -> None:
    try:
        send_mail(subject, body, None, to)
    except Exception:  # noqa: BLE001 - the step stands; the failure is logged
        log.exception("Could not send mail about registration %s", registration.pk)


def _status_url() -> str:
    return settings.SITE_URL + reverse("registrations:status")


def received(registration, event) -> None:
    """Tell the applicant the code, and the province's centre that work has arrived."""
    if registration.email:
        body = _(
            "Kính gửi %(who)s,\n\n"
            "Trung tâm Khuyến công %(province)s đã tiếp nhận hồ sơ đăng ký hỗ trợ khuyến công "
            "của %(name)s.\n\n"
            "Mã hồ sơ: %(code)s\n\n"
            "Tra cứu tình trạng hồ sơ tại %(url)s bằng mã hồ sơ kèm mã số thuế hoặc số điện "
            "thoại đã khai. Hãy giữ mã hồ sơ này.\n"
        ) % {
            "who": registration.representative,
            "province": registration.province.name,
            "name": registration.name,
            "code": registration.code,
            "url": _status_url(),
        }
        subject = _("[Khuyến công] Đã tiếp nhận hồ sơ %(code)s") % {"code": registration.code}
        _send(subject, body, [registration.email], registration)
    staff = recipients(registration, (Role.CENTRE,))
    if staff:
        subject = _("[Khuyến công] Hồ sơ đăng ký trực tuyến mới %(code)s") % {
            "code": registration.code
        }
        body = _("%(name)s (%(province)s) đề nghị hỗ trợ: %(need)s\nXem hồ sơ: %(url)s\n") % {
            "name": registration.name,
            "province": registration.province.name,
            "need": registration.need,
            "url": settings.SITE_URL + registration.get_absolute_url(),
        }
        _send(subject, body, staff, registration)


def status_changed(registration, event) -> None:
    """Tell the applicant the new status, with the reason or the proposal it went into."""
    if not registration.email:
        return
    lines = [
        _("Kính gửi %(who)s,") % {"who": registration.representative},
        "",
        _("Hồ sơ %(code)s của %(name)s chuyển sang trạng thái: %(status)s.")
        % {
            "code": registration.code,
            "name": registration.name,
            "status": event.get_to_status_display(),
        },
    ]
    if event.to_status == Status.DECLINED:
        lines += ["", _("Lý do: %(reason)s") % {"reason": event.comment}]
    if event.to_status == Status.ACCEPTED and registration.proposal_id:
        lines += [
            "",
            _(
                "Nhu cầu của cơ sở đã được đưa vào dự thảo đề án %(code)s. Trung tâm sẽ liên hệ "
                "khi đề án được thẩm định, phê duyệt."
            )
            % {"code": registration.proposal.code},
        ]
    lines += ["", _("Tra cứu hồ sơ: %(url)s") % {"url": _status_url()}]
    subject = _("[Khuyến công] Hồ sơ %(code)s: %(status)s") % {
        "code": registration.code,
        "status": event.get_to_status_display(),
    }
    _send(subject, "\n".join(lines) + "\n", [registration.email], registration)
