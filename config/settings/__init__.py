"""Settings package: `base` is shared, `dev` for local work and tests, `production` for servers."""
