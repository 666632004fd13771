"""The page: the data contract (``wire.py``) and the units that draw it (``units.py``,
each with its script in ``static/``). What makes one layer differ from another
is data in ``data/styles.yaml``; no layer has code of its own.
"""
