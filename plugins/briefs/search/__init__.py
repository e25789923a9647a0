"""Search: Pagefind over the built pages, in shards by language and quarter.

``shards`` names them, ``slim`` cuts brief pages down to what Pagefind reads,
``pagefind`` runs it and makes its output reproducible.
"""
