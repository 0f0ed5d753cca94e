from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EcosystemConfig(AppConfig):
    name = "ecosystem"
    verbose_name = _("Platform")

    def ready(self):
        from allauth.account.signals import user_signed_up
        from django.contrib.auth.signals import user_logged_in

        from .i18n import signals

        user_signed_up.connect(signals.remember_signup_language, dispatch_uid="i18n-signup")
        user_logged_in.connect(signals.remember_chosen_language, dispatch_uid="i18n-login")
