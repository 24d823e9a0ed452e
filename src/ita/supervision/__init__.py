"""Many agencies at once: supervision views, peer benchmarks, bulk import and national scale.

Owns the read-only views of a set of agencies (a supervisor's groups, or any filter of all
agencies for system administrators): ranking, level distribution, indicator heatmap, who has
not entered results, measures or OIT evidence, changes since last year, exports; the peer
benchmarks panel of the assessment dashboard (``templatetags/supervision_panels``); the bulk
import of official results for many agencies; bulk rescoring into snapshots and the batch of
analysis reports (background jobs). Holds no models of its own.

Imports ``agencies`` (access), ``assessments`` (models and services), ``measures`` (plans),
``jobs``, ``reports``, ``catalog`` and ``scoring``; no other app imports it (the dashboard
only loads its template tags), and it never writes through any other way than
``assessments.services`` (official results) and its own bulk snapshot writer.
"""
