"""The admin site: every change an administrator saves is logged with its old and new values.

Django's admin log says which fields changed, not from what to what. The site wraps every
ModelAdmin registered on it (by any app) with `ValuesInChangeLog`, so no app has to remember.
"""

import datetime
import decimal

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

# Never copied into the log, whatever the form calls them.
SECRET_FIELDS = ("password", "password1", "password2", "token", "secret", "digest")


def plain(value):
    """A form value as JSON: records by primary key, dates as ISO text."""
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, QuerySet | list | tuple | set):
        return sorted((plain(v) for v in value), key=str)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _is_secret(name: str) -> bool:
    return any(part in name for part in SECRET_FIELDS)


class ValuesInChangeLog:
    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        if add:
            return message
        values = {
            name: [plain(form.initial.get(name)), plain(form.cleaned_data.get(name))]
            for name in form.changed_data
            if not _is_secret(name)
        }
        for part in message:
            if "changed" in part and values:
                part["changed"]["values"] = values
        return message


class PortalAdminSite(admin.AdminSite):
    site_header = _("Quản trị cổng khuyến công")
    site_title = _("Khuyến công")
    index_title = _("Dữ liệu và người dùng")

    def register(self, model_or_iterable, admin_class=None, **options):
        base = admin_class or admin.ModelAdmin
        if not issubclass(base, ValuesInChangeLog):
            base = type(base.__name__, (ValuesInChangeLog, base), {"__module__": base.__module__})
        super().register(model_or_iterable, base, **options)
