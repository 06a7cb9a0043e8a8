"""Scoring: a scheme compiled into a plan, records decoded and checked, the batch pipeline."""
