"""Public views of « Près de chez vous »: the search (listing), venue pages, calendar
files. Anonymous, cached by the page cache under the `agenda` scope (README « Caching »)."""
