"""Importing the documents agencies already have: analysis reports, measures, results reports.

This package owns *reading* them — DOCX, PDF, XLSX and text extracted from PDFs — into an
:class:`~ita.importers.document.ImportedDocument`: the kind of document, agency and fiscal
years, indicator, tool and item scores, the stated total and level, findings, and measures row
by row, with warnings where the document disagrees with itself or with the year's framework.
Saving is not done here.

It imports nothing from Django (a test pins it). Item codes, indicator and tool names, level
names and the seven issues come from the framework files through
:class:`~ita.scoring.spec.ScoringSpec`; the checks use the scoring engine.
"""

from ita.importers.document import Finding, ImportedDocument, IssueRef, Measure
from ita.importers.pipeline import import_bytes, import_path, import_text
from ita.importers.readers import MAX_FILE_BYTES, DocumentError

__all__ = [
    "MAX_FILE_BYTES",
    "DocumentError",
    "Finding",
    "ImportedDocument",
    "IssueRef",
    "Measure",
    "import_bytes",
    "import_path",
    "import_text",
]
