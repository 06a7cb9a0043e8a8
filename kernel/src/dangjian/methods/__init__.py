"""The built-in scoring methods, registered by the kernel's default plugin."""

from dangjian.methods import activity, counts, ratings

BUILTIN_METHODS = [*ratings.METHODS, *counts.METHODS, *activity.METHODS]
