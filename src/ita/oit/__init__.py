"""OIT evidence on agencies' websites: the checklist of a year, the evidence registry, link checks.

Owns, as plain libraries that import no Django (a test pins it): checking the addresses an
agency submits for its OIT items — reachability, redirects, soft-404s, empty pages, PDFs that do
not open, documents of the wrong fiscal year — and the comparison of one run with the previous
one (``checker``, ``content``, ``history``; rules in docs/oit.md, not-found wording in
``soft404.yaml``), and what the checklist would score (``readiness``, over the scoring engine).

On top of them, the Django app: the evidence of each OIT item per agency and fiscal year
(status, addresses with their check history, responsible unit, explanation for ITAS, internal
notes, files) in ``models``/``services``; the link checks as the ``oit.check`` background job
and a daily schedule (``jobs``, ``tasks``); the pages (``views``), the ITAS sheet and the public
page (``exports``), and the panel on the assessment dashboard (``templatetags.oit_panels``).

May import ``agencies``, ``assessments``, ``catalog``, ``scoring``, ``jobs`` and ``audit``; must
not import measures, surveys or reports. The Django-free modules must not import Django, or
anything that does (``ita.catalog.models``, ``ita.*.services``).
"""
