"""The audit log: who did what to what, when and why. Append-only."""
