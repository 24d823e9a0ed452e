"""The three yearly documents: analysis report, measures document and results report.

This package owns turning data into documents: the knowledge base of indicator texts
(``knowledge/ita-YYYY.yaml``, :mod:`ita.reports.knowledge`), the measures/results input file
(:mod:`ita.reports.plans`), the context objects every document is rendered from
(:mod:`ita.reports.context`), and the renderers — DOCX (:mod:`ita.reports.docx`), HTML
(:mod:`ita.reports.html`, Django templates rendered standalone), PDF (:mod:`ita.reports.pdf`,
WeasyPrint from that same HTML) — with the bar chart (:mod:`ita.reports.charts`).

A report is rendered from a context object and nothing else: this package never queries the
database and imports no Django models or settings (only the standalone template engine). Whoever
holds the data — the ``ita report`` command reading files, or the web application reading its
tables — builds the context and passes it to a renderer.
"""
