"""Demonstration data, clearly labelled as such (``Agency.is_demo``), for trying the system.

Owns the generators behind ``ita demo …`` and ``ita serve --demo``. Writes through the same
services as the application (so demo results are scored and snapshotted like real ones).
"""
