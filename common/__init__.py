"""Neutral helpers both apps need (client address, text folding, spreadsheet reading,
Wagtail internals): the bottom layer, importing no app of the project."""
