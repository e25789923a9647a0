"""The newsletter's editions: a day's digest as an e-mail, in HTML and in plain text.

Rendered from the theme's templates with Jinja2, never with MkDocs: the build
publishes each digest's HTML edition beside its page, and ``briefs newsletter``
prints either form for a mailing service to send.
"""
