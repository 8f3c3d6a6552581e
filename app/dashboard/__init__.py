"""The community figures dashboard for staff."""
