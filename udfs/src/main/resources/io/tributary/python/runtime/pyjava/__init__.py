"""Tributary's implementation of the pyjava API that Byzer-python scripts import.

Scripts run in a Tributary worker process next to a Spark executor; no Ray cluster is involved.
"""
