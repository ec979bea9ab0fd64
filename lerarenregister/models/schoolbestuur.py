"""School boards (bevoegd gezag), identified by their bevoegd-gezagnummer."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Schoolbestuur(Base):
    __tablename__ = "schoolbestuur"

    id: Mapped[int] = mapped_column(primary_key=True)
    bevoegd_gezag_nummer: Mapped[str] = mapped_column(String(20), unique=True)
    naam: Mapped[str] = mapped_column(String(200))
