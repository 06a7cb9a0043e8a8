"""The catalogue: plugins loaded through pluggy, schemes read, checked and compared."""
