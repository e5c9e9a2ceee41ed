from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """django.contrib.admin with the portal's site (khuyencong.adminsite): values in the log.

    In a module of its own: in khuyencong.apps it would be a second default AppConfig there."""

    default_site = "khuyencong.adminsite.PortalAdminSite"
