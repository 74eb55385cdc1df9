"""pyjava's rayfix module.

``@rayfix.last`` (placed under ``@ray.remote``) makes a function defined in a script pickle by value, so Ray's
workers get its code without importing the script: the function's module is set to ``__main__`` (which cloudpickle,
Ray's serializer, ships by value) unless the function lives in a module that Ray's workers can import.
"""
import sys


def last(func):
    module = sys.modules.get(getattr(func, "__module__", None) or "")
    if module is None or getattr(module, "__file__", None) is None or module.__name__ == "__main__":
        func.__module__ = "__main__"
    return func
