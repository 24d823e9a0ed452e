"""ITA Workbench: carries a Thai public agency through the yearly ITA cycle.

Apps: ``catalog`` (framework per fiscal year), ``scoring`` (the engine, pure Python), ``thai``
(Thai conventions), ``cli`` (the ``ita`` command).
"""
