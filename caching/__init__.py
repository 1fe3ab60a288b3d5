"""Every speed-up of the site behind one door: what is kept, keyed by what, reset by which
change (README « Caching »). Sits below both apps, so each can invalidate what it changes."""
