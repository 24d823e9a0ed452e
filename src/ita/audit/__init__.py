"""The audit log: who changed what, when, in which agency.

Owns ``AuditEvent`` and ``record()``. Other apps call ``record()`` inside the transaction of
the change they make, so the event and the change are saved together or not at all.
"""
