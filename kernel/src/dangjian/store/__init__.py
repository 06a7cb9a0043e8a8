"""The store: runs kept compactly in SQLite, the one run path, tracked flags, ranks, what-if."""
