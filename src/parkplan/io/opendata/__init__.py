"""Readers of Dutch open data for building a first park inventory.

One module per source: :mod:`.bag` (buildings), :mod:`.eponline` (energy labels),
:mod:`.kvk` (companies), :mod:`.ibis` (park records), :mod:`.netbeheer` (small-user
consumption per postcode range). Every reader is named ``read_*`` and returns
``(records, metadata)``; ``metadata["problems"]`` lists what could not be used, per record.
Optional online fetch functions (``fetch_*``) exist where a public API does; tests never
call them.
"""
