"""gunicorn hooks of `bench/cold_render.py` only (never used in production).

`pre_request` bumps the publication version before every request, so each request is
served exactly as the first view of a page after a publication: the page cache, the
render cache, the memos (navigation, breadcrumbs, remembered routing...) all miss, while
what survives a publication in a real worker (imported code, compiled templates, the
database connection, generated renditions) stays.
"""


def pre_request(worker, req):
    from caching import versions

    versions.bump(versions.PUBLICATION)
