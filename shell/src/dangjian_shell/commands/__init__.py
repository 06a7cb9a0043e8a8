"""The `dangjian` commands, one group of related commands per module."""
