"""Scores and levels exactly as NACC computes them.

Owns: ``spec`` (the scoring view of a framework), ``engine`` (reference path), ``batch`` (NumPy
path, bit-identical to the engine), ``inputs`` (score tables). Must not import Django or other
``ita`` apps except ``ita.catalog.schema`` and ``ita.thai``.
"""
