"""``python -m briefs.cli``: the ``briefs`` command."""

from .main import main

raise SystemExit(main())
