"""WSGI entry point for gunicorn: the one place an app is created at import time."""

from readerly.app import create_app

app = create_app()
