"""Importing a document on the web: upload, preview beside the source text, correct, save.

This package owns the pages and the saving of a document read by :mod:`ita.importers` (which
imports no Django and saves nothing): the preview form, the signed payload that carries what
the form does not show from the preview to the save (no file is kept), the check of what a save
would replace, and the save itself — scores through :func:`ita.assessments.services.save_results`
and measures through :mod:`ita.measures.services`, all in one transaction.

It is not a Django app (no models). It must not be imported by :mod:`ita.importers`,
:mod:`ita.assessments` or :mod:`ita.measures`.
"""
