"""drf-spectacular postprocessing hook: every operation takes ``?lang=`` and
``Accept-Language`` and answers with ``Content-Language`` (ecosystem.i18n.middleware)."""

from django.conf import settings

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def add_language_parameters(result, generator, request, public):
    lang = {
        "name": "lang", "in": "query", "required": False,
        "description": "Language of the answer (overrides Accept-Language). Translated texts "
                       "missing in it come in the language they exist in.",
        "schema": {"type": "string", "enum": LANGUAGE_CODES},
    }
    accept = {
        "name": "Accept-Language", "in": "header", "required": False,
        "description": "Preferred languages (RFC 9110), e.g. `hr, de;q=0.8`.",
        "schema": {"type": "string"},
    }
    content_language = {
        "description": "The language the answer is written in.",
        "schema": {"type": "string", "enum": LANGUAGE_CODES},
    }
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            names = {(p.get("name"), p.get("in")) for p in operation.get("parameters", [])}
            operation.setdefault("parameters", [])
            for parameter in (lang, accept):
                if (parameter["name"], parameter["in"]) not in names:
                    operation["parameters"].append(parameter)
            for response in operation.get("responses", {}).values():
                response.setdefault("headers", {})["Content-Language"] = content_language
    return result
