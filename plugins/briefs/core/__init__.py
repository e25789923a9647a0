"""The domain core: a brief read, checked and rendered, with nothing of MkDocs.

``loading`` turns a file into fields with their places, ``validation`` into a
``model.Brief`` (or findings), ``rendering`` its Markdown into safe HTML, and
``corpus`` does all of it for the briefs folder, with the ``cache``. The CLI and
the MkDocs plugin both stand on this package; it imports neither.
"""
