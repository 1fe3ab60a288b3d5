"""Every speed-up of the site behind one door (README « Caching »): what is kept, keyed by
what, reset by which change.

- `versions`: one version number per scope (`publication`, `agenda`), shared in Redis;
  a bump makes whatever was kept under the old number obsolete.
- `memo`: small values per process, under the versions of their scopes.
- `pages`: the anonymous full-page cache (middleware).
- `front`: the headers for the shared caches in front of the site (Cache-Control, ETag,
  304), `personal`: what makes a request or an answer personal, `cookies`: the CSRF
  cookie's path narrowed to the forms (README « Front cache: the reverse proxy and a CDN »).
- `fragments`: the render cache of parts of published pages.
- `routing`: Wagtail's routing remembered per process.
- `sidebar`: the Wagtail admin sidebar kept per user.
- `redis`: the Redis cache backend reusing its clients.
- `invalidation`: what bumps the publication version (connected by the site layer).

Sits below both apps (imports only Django, Wagtail and `common`), so each can invalidate
what it changes."""
