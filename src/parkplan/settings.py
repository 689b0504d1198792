"""Settings in one object, read from the environment with the prefix ``PARKPLAN_``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import platformdirs
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    """The user's data folder for parkplan (e.g. ``~/.local/share/parkplan``)."""
    return Path(platformdirs.user_data_dir("parkplan", appauthor=False))


class Settings(BaseSettings):
    """parkplan settings; every field can be set as ``PARKPLAN_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="PARKPLAN_")

    data_dir: Path = default_data_dir()
    database_url: str | None = None
    """SQLAlchemy URL; default an SQLite file in ``data_dir``."""
    lang: str = "nl"
    max_upload_bytes: int = 20 * 1024 * 1024
    """Largest inventory or park file accepted. [bytes]"""

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to ``sqlite:///<data_dir>/parkplan.sqlite``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'parkplan.sqlite'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (cached; tests clear the cache)."""
    return Settings()
