"""The base serializers of every API input: a field the operation does not take is refused,
and no text keeps a control character.

DRF ignores keys a serializer does not declare, so a typo ("titel") saves nothing and still
answers 201, and a client generated from the schema cannot tell a field the server dropped from
one it kept. Here such a body is a 400 naming each unknown key; the schema says the same with
``additionalProperties: false`` on every request body (``ecosystem.api.schema``).

A read-only field (``id``, ``created``) is a field the serializer knows: a client may send back
what it read, and those values are ignored as before.

The JSON parser removes control characters from every text (``ecosystem.api.parsers``); a form
body (multipart) or the query string of a search comes here as a form, and its texts are
cleaned the same way, so "\x02" is blank wherever it is sent, as the schema's patterns say.
"""

from collections.abc import Mapping

from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from rest_framework import serializers

from ecosystem.text import strip_controls

# Sent by the browsable API's HTML forms alongside the fields; Django's CSRF check reads it.
FORM_KEYS = frozenset({"csrfmiddlewaretoken"})
# A body with thousands of unknown keys answers with the first few, not an echo of itself.
MAX_NAMED = 20


def _clean_form(data):
    """A copy of a form's values with control characters removed from the texts (files and
    other values as they are; not ``QueryDict.copy()``, which would deep-copy the files)."""
    return MultiValueDict({
        key: [strip_controls(value) if isinstance(value, str) else value
              for value in data.getlist(key)]
        for key in data
    })


class StrictInput:
    # A query string carries other parameters (?lang=, ?cursor=): a serializer that reads one
    # says so and takes unknown names.
    takes_other_fields = False

    def to_internal_value(self, data):
        if hasattr(data, "getlist"):
            data = _clean_form(data)
        if isinstance(data, Mapping) and not self.takes_other_fields:
            unknown = sorted(set(data) - set(self.fields) - FORM_KEYS, key=str)
            if unknown:
                message = _("This operation takes no field of this name.")
                raise serializers.ValidationError(
                    {str(name): [message] for name in unknown[:MAX_NAMED]}, code="unknown_field")
        return super().to_internal_value(data)


class Serializer(StrictInput, serializers.Serializer):
    pass


class ModelSerializer(StrictInput, serializers.ModelSerializer):
    pass


class QuerySerializer(Serializer):
    """The parameters of a query string: cleaned as a body, other parameters left alone."""

    takes_other_fields = True
