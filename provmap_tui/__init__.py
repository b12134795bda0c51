"""provmap: provision mapping for SENCos in one SQLite file.

Layers, imports flowing one way: domain <- store <- services <- ui / cli.
"""

__version__ = "0.1.0"
