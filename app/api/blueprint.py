"""The blueprint the app's own API routes hang on."""

from app.api.auth import api_blueprint

bp = api_blueprint("api", __name__)
