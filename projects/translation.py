"""Translated fields (django-modeltranslation; README "Languages")."""

from modeltranslation.translator import TranslationOptions, register

from .models import Pilot, PilotUpdate, Programme, Project


@register(Project)
class ProjectTranslation(TranslationOptions):
    fields = ("title", "summary")


@register(Pilot)
class PilotTranslation(TranslationOptions):
    fields = ("title", "summary", "what_is_tested", "results")


@register(PilotUpdate)
class PilotUpdateTranslation(TranslationOptions):
    # A pilot's news.
    fields = ("title", "body")


@register(Programme)
class ProgrammeTranslation(TranslationOptions):
    fields = ("name", "summary")
