"""Improvement measures and their follow-up: proposals from results, the plan, progress, proof.

Owns the knowledge base of suggested measures and finding statements (``knowledge``), the
proposals drawn from an assessment (``proposals``, pure), and the plan of a fiscal year with
its measures, steps, progress, evidence and frozen snapshots. May import ``agencies``,
``assessments``, ``catalog``, ``scoring``, ``reports`` and ``audit``; must not import surveys
or oit.
"""
