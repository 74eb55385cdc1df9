"""pyjava's rayfix module.

In Byzer, ``@rayfix.last`` (placed under ``@ray.remote``) renames the decorated function's module so that Ray can
pickle a function defined inside exec'd script code. Tributary never ships functions to a Ray cluster, so there is
nothing to fix: the decorator returns the function unchanged, and scripts that use it import and run as written.
"""


def last(func):
    return func
