"""Natural-language enrichment: entities (``entities``), events and quotes (``events``)."""
