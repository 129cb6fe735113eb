"""Piccolo's configuration: the engine for the CLI and migrations, and the registry of apps."""

from piccolo.conf.apps import AppRegistry

from portal.db import APPS, engine_from_env

DB = engine_from_env()

APP_REGISTRY = AppRegistry(apps=APPS)
