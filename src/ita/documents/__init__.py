"""Documents from stored data: the analysis report of an assessment, edited before export.

Owns ``ReportDraft`` (the agency's edits of an analysis report: paragraphs, the indicators
discussed, guidelines, assessor notes, date, appended measures) and the pages that edit and
download it. Builds contexts with :mod:`ita.reports` (which never touches the database) from
``assessments`` and ``measures``; those apps do not import this one.
"""
