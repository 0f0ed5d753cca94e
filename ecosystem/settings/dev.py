"""Local development: `make run`. SQLite, in-process tasks, e-mail on the console."""

from .base import *  # noqa: F401,F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
