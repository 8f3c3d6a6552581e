"""Realtime: a live community through Socket.IO (Flask-SocketIO).

``rooms`` names the rooms, ``access`` decides who may be in them, ``events`` sends what
changed after each commit, and ``handlers`` is the namespace clients talk to (registered by
``handlers.init_app``). See the "Realtime" section of README.md for the production set-up.
"""
