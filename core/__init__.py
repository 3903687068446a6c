"""Plumbing shared by every app, below all of them: nothing here imports an app.

- `core.tasks`: the Celery base task that runs a task body inside its agency's scope.
- `core.channel_layer`: the Redis channel layer with a one-round-trip group read.
- `core.redis_cache`: Django's Redis cache with one connection pool per process.
"""
