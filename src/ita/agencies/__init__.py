"""Agencies, their people and roles, and the one access layer every view goes through.

Owns: ``Agency`` (with its responsible units), ``Membership`` (a user's role in an agency),
``AgencyGroup`` and ``Supervision`` (read-only oversight of a set of agencies), ``access``
(``get_<thing>_for_user`` helpers that decide 404/403 in one place). Must not import the
assessments, measures, surveys or oit apps.
"""
