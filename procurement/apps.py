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
        from .staff import register as register_staff

        register_staff()
        from ecosystem.sections import PersonalLink, home_sections, personal_links, portal_sections

        from .sections import my_applications, my_evaluations, open_calls

        home_sections.register("procurement.open_calls", open_calls)
        portal_sections.register("procurement.my_applications", my_applications)
        portal_sections.register("procurement.my_evaluations", my_evaluations)
        personal_links.register(PersonalLink(
            key="procurement.applications", label=_("My applications"),
            url_name="procurement:my-applications", order=20))
        from .permissions import is_evaluator

        personal_links.register(PersonalLink(
            key="procurement.evaluations", label=_("Your evaluations"),
            url_name="procurement:my-evaluations", order=25, shown_to=is_evaluator))

        from . import privacy
        privacy.register()
        from . import opendata
        opendata.register_datasets()
        from .matching import register as register_matching

        register_matching()
        from ecosystem.notifications import registry

        for name, label, frequency in KINDS:
            registry.register(registry.NotificationKind(
                key=f"procurement.{name}", label=label, default_frequency=frequency,
                template=f"procurement/notifications/{name}",
            ))
        from .models import Call
        from .permissions import calls_visible_to

        registry.register_followable(Call, visible_to=calls_visible_to)
        from ecosystem import sealing

        from .models import Application, Question
        from .permissions import applications_sealed_from, calls_with_sealed_applications

        # Records about an application stay sealed until the submission deadline; a notice
        # that asks applicants to confirm tells who applied, a follow of the call who means
        # to apply; nobody learns who asked a question.
        sealing.register(sealing.Seal(model=Application, sealed=applications_sealed_from))
        sealing.register(sealing.Seal(
            model=Call, sealed=calls_with_sealed_applications,
            kinds=frozenset({"procurement.application_needs_confirmation",
                             "procurement.application.needs_confirmation", "follow"})))
        sealing.register(sealing.Seal(model=Question, sealed=lambda **_: Question.objects.none(),
                                      hide_actor=True))

        from .search import register_search

        register_search()
