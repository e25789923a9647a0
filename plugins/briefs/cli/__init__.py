"""The ``briefs`` command (SPEC §6): ``main`` in :mod:`briefs.cli.main`, one module per command group beside it."""
