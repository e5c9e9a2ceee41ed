"""API tokens (django-rest-knox): stored as digests, expiring, revocable, and dead with a
password change — a token is a password that a program keeps, so it lives no longer than one.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import pre_save
from django.utils import timezone
from knox.models import AuthToken


def issue(user) -> tuple[AuthToken, str]:
    """A new token for `user` (the plain token is returned once, never stored)."""
    user.auth_token_set.filter(expiry__lt=timezone.now()).delete()
    return AuthToken.objects.create(user)


def of(user):
    """The user's live tokens, newest first."""
    return user.auth_token_set.filter(expiry__gte=timezone.now()).order_by("-created")


def revoke(user, token_key: str) -> bool:
    """Revoke one of the user's own tokens by its key (its first characters); False if none."""
    deleted, _by_model = user.auth_token_set.filter(token_key=token_key).delete()
    return bool(deleted)


def revoke_on_password_change(sender, instance, raw=False, update_fields=None, **kwargs):
    """Every token of a user dies when the password changes (reset, change, admin)."""
    if raw or not instance.pk:
        return
    if update_fields is not None and "password" not in update_fields:
        return  # e.g. each login's last_login: no read of the old password on that path
    old = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if old is not None and old != instance.password:
        AuthToken.objects.filter(user_id=instance.pk).delete()


def connect() -> None:
    pre_save.connect(
        revoke_on_password_change, sender=get_user_model(), dispatch_uid="tokens_password"
    )
