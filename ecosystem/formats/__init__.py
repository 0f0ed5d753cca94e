"""Date and time formats per language (FORMAT_MODULE_PATH), on top of Django's own: the long
forms the portal's texts use (a deadline reads "2. prosinca 2026. u 14:00"). Everything not
set here (input formats, separators) comes from ``django.conf.locale.<lang>.formats``.

Italian month names are capitalised in Django's catalogue ("Dicembre"); Italian writes them in
lower case, so ``ecosystem/formats/locale/it`` (a second LOCALE_PATHS entry, compiled like the
others, not touched by makemessages) overrides just those 24 entries."""
