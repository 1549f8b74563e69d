"""`nutsec web`: nutsec's pages in the person's own browser, served to this computer only.

A second front door over the same core as the terminal (`nutsec.audit.sitting`, the store, the
report renderers): the views here only draw pages and read forms; every decision is the core's.
Flask (routing, forms, Jinja2) served by waitress: both pure Python and well kept, they run the same
on Windows, macOS and Linux, and they are synchronous like nutsec's core (SQLite, requests). The
server runs one worker thread, so the store's SQLite connection stays in the thread that opened it.
"""
