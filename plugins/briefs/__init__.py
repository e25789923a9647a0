"""Briefs: translated news briefs, validated and rendered into a bilingual site.

The domain core (``model``, ``loading``, ``validation``, ``corpus``,
``rendering``, ``views``, ``site``) imports nothing from MkDocs; ``plugin``,
``config`` and ``navigation`` adapt it to MkDocs.
"""

__version__ = "0.1.0"
