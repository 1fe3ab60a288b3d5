"""The public views of /donnees/: the page listing the files, and the files."""
