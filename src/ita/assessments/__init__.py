"""A fiscal year's results for one agency: entry by form and upload, scoring, snapshots, dashboard.

Owns ``Assessment`` (agency × fiscal year, bound to that year's framework), the official scores
stored for it, and a ``Snapshot`` of every computation (engine version, inputs, outputs).
Imports ``agencies`` (access), ``catalog`` and ``scoring``; must not import measures, surveys
or oit.
"""
