"""Search across the portal: one index, filled by the apps (see ``registry``), read by the
global search page, the API, every list's ``q`` filter and the saved searches."""
