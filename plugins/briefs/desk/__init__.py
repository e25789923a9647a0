"""The translation desk (SPEC §8): which translations are up to date, and what changed.

Pure building blocks for the ``briefs status``, ``translate`` and ``diff``
commands and for the outdated notice on pages; nothing here imports MkDocs.

(The translatable content of a brief and its version are the core's: ``core/content.py``,
``core/versions.py``, since a pair's rules use them.)

- :mod:`.history`: the git history of an original, read in batches;
- :mod:`.fielddiff`: what changed between two versions, field by field;
- :mod:`.status`: the desk's overview of every brief and language;
- :mod:`.translate`: the scaffold of a new translation, and recording it done.
"""
