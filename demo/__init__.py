"""The French demo content: guides, ateliers, tracking history, demo accounts, legal pages.

The top layer: it may import every app, and no app imports it. Installed by the development
and test settings only (`config.settings.dev`, `config.settings.test`), never in production;
`manage.py load_demo` (run by `bin/run`) loads it. Guides and ateliers are data files under
`demo/content/`; the screens of the guides are drawn with Pillow (`demo.screens`).
"""
