"""The located input error, as every report and message gives it (errors.py says how
the problems of a file are collected and raised)."""

from __future__ import annotations

from pydantic import BaseModel

from .errors import where


class InputError(BaseModel):
    file: str
    line: int | None = None
    column: int | None = None
    path: str = ""
    message: str

    def render(self) -> str:
        """``file:line:col: path: message`` — the form editors and CI logs link to."""
        field = f"{self.path}: " if self.path else ""
        return f"{where(self.file, self.line, self.column)}: {field}{self.message}"
