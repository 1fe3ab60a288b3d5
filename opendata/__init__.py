"""Open data files in the national formats (lieux de médiation numérique, data·inclusion)."""
