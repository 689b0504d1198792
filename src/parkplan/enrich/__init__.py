"""Enrichment: a first park inventory from open data, as a list of proposed changes.

Pure core (no files, network or database): :mod:`.records` holds what the readers in
:mod:`parkplan.io.opendata` produce; :mod:`.matching` matches companies to buildings and
register records; :mod:`.propose` turns matches into proposed changes (entity, field, old
value, new value, source, origin) and applies them to a copy of a park.
"""
