"""``{% localised obj "field" as text %}``: the text in the reader's language or, when missing,
in the language it exists in (``text.is_fallback``, ``text.language``, ``text.note``);
``templates/includes/localised.html`` shows it with its ``lang`` attribute and the note."""

from django import template

from ecosystem.i18n.content import localised as localised_text

register = template.Library()


@register.simple_tag
def localised(obj, field):
    return localised_text(obj, field)
