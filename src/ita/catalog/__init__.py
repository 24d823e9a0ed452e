"""The ITA method per fiscal year: the framework file format, its loader, and its database copy.

Owns: ``schema`` (pydantic models = the file format), ``loader`` (reading and validating files),
``models.Framework`` (the copy in the database that assessments are bound to), the framework
browser pages. Must not import other ``ita`` apps; ``schema`` and ``loader`` import no Django.
"""
