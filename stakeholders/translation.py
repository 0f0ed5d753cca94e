"""Translated fields (django-modeltranslation; README "Languages"). Organisation names are
legal names and stay as registered; what an organisation writes about itself is translatable."""

from modeltranslation.translator import TranslationOptions, register

from .models import City, Competence, Organisation


@register(Competence)
class CompetenceTranslation(TranslationOptions):
    fields = ("name",)
    empty_values = {"name": None}


@register(City)
class CityTranslation(TranslationOptions):
    # Where a city's name differs by language: Rijeka / Fiume, Trento / Trient.
    fields = ("name",)


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("description",)
