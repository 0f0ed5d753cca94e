from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EcosystemConfig(AppConfig):
    name = "ecosystem"
    verbose_name = _("Platform")

    def ready(self):
        from allauth.account import signals

        from .api.auth import tokens_revoke

        # A new password ends every API token (other sessions end by Django's session hash).
        for signal in (signals.password_changed, signals.password_reset, signals.password_set):
            signal.connect(tokens_revoke, dispatch_uid=f"ecosystem.tokens_revoke.{id(signal)}")

        from allauth.account.signals import user_signed_up
        from django.contrib.auth.signals import user_logged_in

        from .i18n import signals as i18n_signals

        user_signed_up.connect(i18n_signals.remember_signup_language, dispatch_uid="i18n-signup")
        user_logged_in.connect(i18n_signals.remember_chosen_language, dispatch_uid="i18n-login")
