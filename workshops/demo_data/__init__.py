"""Content of the demo: guides and atelier curricula, as plain Python data.

Loaded by `workshops.demo`; the French texts are what a visitor reads on the demo site.
"""
