"""The site as data: which pages exist (``plan``), what each shows (``views``),
its feeds and sitemap (``feeds``) and its Content-Security-Policy (``csp``).

Nothing here renders a template or knows MkDocs: a generator that reads the
plan could write the same site.
"""
