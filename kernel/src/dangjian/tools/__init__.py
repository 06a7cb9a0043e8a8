"""The seed tools (draw, reporting lines, timeline, report lint) and the plugin author's tools."""
