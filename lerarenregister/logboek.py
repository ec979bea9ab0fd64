"""The log's format (REGISTER_LOG_FORMAT; API.md, "Production", Operations).

`tekst` (the default): a readable line. `json`: one JSON object a line with `tijd` (UTC, ISO 8601),
`niveau`, `logger` and `bericht`, plus the fields a record carries in `velden` (the request log's,
http/verzoeklog.py) and a trace under `uitzondering`. The configuration is one `logging.config`
dictionary, so that uvicorn applies it in every worker process and its own loggers
(`uvicorn.error`, `uvicorn.access`) write in the same format.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import orjson

TEKST = "tekst"
JSON = "json"
FORMATEN = (TEKST, JSON)


class JsonOpmaak(logging.Formatter):
    """A log record as one JSON object on one line."""

    def format(self, record: logging.LogRecord) -> str:
        regel: dict[str, Any] = {
            "tijd": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "niveau": record.levelname,
            "logger": record.name,
            "bericht": record.getMessage(),
        }
        velden = getattr(record, "velden", None)
        if isinstance(velden, dict):
            regel.update({k: v for k, v in velden.items() if k not in regel})
        if record.exc_info:
            regel["uitzondering"] = self.formatException(record.exc_info)
        elif record.exc_text:
            regel["uitzondering"] = record.exc_text
        return orjson.dumps(regel, default=str).decode()


def configuratie(formaat: str, toegangslog: bool = False) -> dict[str, Any]:
    """The `logging.config.dictConfig` of `serve` (and of each worker, through uvicorn's log_config).

    The request log (`lerarenregister.verzoeken`) is on in the JSON format; in the text format
    uvicorn's access line (`--access-log`) is the per-request line, as before. uvicorn's access
    line never shows a query string (cli.ZonderQueryString)."""
    opmaak = (
        {"()": "lerarenregister.logboek.JsonOpmaak"}
        if formaat == JSON
        else {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"register": opmaak},
        "filters": {"zonder_query_string": {"()": "lerarenregister.cli.ZonderQueryString"}},
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "register", "stream": "ext://sys.stderr"},
            "toegang": {
                "class": "logging.StreamHandler",
                "formatter": "register",
                "stream": "ext://sys.stdout",
                "filters": ["zonder_query_string"],
            },
        },
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "uvicorn.error": {"level": "INFO"},
            "uvicorn.access": {
                "handlers": ["toegang"],
                "level": "INFO" if toegangslog else "WARNING",
                "propagate": False,
            },
            "lerarenregister.verzoeken": {"level": "INFO" if formaat == JSON else "WARNING"},
        },
        "root": {"handlers": ["stderr"], "level": "INFO"},
    }
