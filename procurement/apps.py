from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

KINDS = [
    ("call_amended", _("A call you follow or applied to was amended"), "instant"),
    ("question_answered", _("A clarification question was answered"), "daily"),
    ("application_submitted", _("Receipt of a submitted application"), "instant"),
    ("application_needs_confirmation", _("An amendment asks you to confirm your application"),
     "instant"),
    ("call_cancelled", _("A call was cancelled or ended without award"), "instant"),
    ("call_result", _("The outcome of a call you applied to"), "instant"),
    ("evaluator_assigned", _("You were assigned as an evaluator"), "instant"),
]


class ProcurementConfig(AppConfig):
    name = "procurement"
    verbose_name = _("Procurement")

    def ready(self):
        from ecosystem.sections import home_sections

        from .sections import open_calls

        home_sections.register("procurement.open_calls", open_calls)
        from .matching import register as register_matching

        register_matching()
        from ecosystem.notifications import registry

        for name, label, frequency in KINDS:
            registry.register(registry.NotificationKind(
                key=f"procurement.{name}", label=label, default_frequency=frequency,
                template=f"procurement/notifications/{name}",
            ))
        register_followable = getattr(registry, "register_followable", None)
        if register_followable is not None:
            from .models import Call
            from .permissions import calls_visible_to

            register_followable(Call, visible_to=calls_visible_to)
