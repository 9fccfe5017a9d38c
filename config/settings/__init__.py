"""Settings package: `base` is shared, `dev` for local work, `test` for pytest, `production` for servers."""
