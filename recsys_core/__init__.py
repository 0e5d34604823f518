"""recsys_core: collaborative-filtering recommenders from a rating file to a filled matrix."""
