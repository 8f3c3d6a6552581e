"""Health of a running installation: ``/healthz`` and the worker's heartbeat."""
