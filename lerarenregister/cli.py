"""`lerarenregister serve | migrate | token | importeer-vrijwillig-register | matrix | sdl`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from typing import Any

from .auth.viewer import ROLLEN as ROL_KEUZES
from .settings import ConfigError, Settings


def _settings() -> Settings:
    from pydantic import ValidationError

    try:
        settings = Settings()
        settings.check()
    except ValidationError as exc:  # a malformed value: name the variable, not a traceback
        sys.exit(
            "lerarenregister: " + "; ".join(f"REGISTER_{str(e['loc'][0]).upper()}: {e['msg']}" for e in exc.errors())
        )
    except ConfigError as exc:
        sys.exit(f"lerarenregister: {exc}")
    return settings


def cmd_migrate(_args: argparse.Namespace) -> None:
    from .db import migrate

    settings = _settings()
    migrate(settings.database_url)
    print(f"schema up to date at {_zonder_wachtwoord(settings.database_url)}")


def cmd_serve(args: argparse.Namespace) -> None:
    import logging.config

    import uvicorn

    from .db import migrate
    from .logboek import configuratie
    from .werkers import MULTIPROC, metrics_map

    settings = _settings()
    if args.workers < 1:
        sys.exit("lerarenregister: --workers must be at least 1")
    log_config = configuratie(settings.log_format, args.access_log)
    logging.config.dictConfig(log_config)
    # Several workers share their figures through prometheus-client's multiprocess files, prepared
    # before the app (and so prometheus-client) is imported: it picks its storage then. One worker
    # keeps them in memory, unless the operator named a folder: the files cost a getpid and a write
    # per value, about 3 µs a request (bench/rand_cpu.py), for nobody to share them with.
    opruimen = metrics_map() if args.workers > 1 or os.environ.get(MULTIPROC) else (lambda: None)
    try:
        migrate(settings.database_url)
        if settings.vandaag is not None and not settings.demo:
            logging.getLogger("lerarenregister").warning(
                "REGISTER_VANDAAG=%s outside demo mode: the register's dates are not today's", settings.vandaag
            )
        if settings.demo:
            from .demo import laad_demodata, toon_demo

            if settings.demo_data:
                asyncio.run(laad_demodata(settings))
            toon_demo(settings, f"http://{args.host}:{args.port}")
        # One worker: this process serves the app it built. More: uvicorn starts each worker as a
        # process of its own that builds the app from the environment (werkers.app); this one only
        # watches them, and never imports the app (it would count as a worker in the metrics).
        app: Any = "lerarenregister.werkers:app"
        if args.workers == 1:
            from .server import create_app

            app = create_app(settings)
            voor_een_server()
        _na_sigterm_klaar()
        # On SIGTERM uvicorn stops accepting, lets requests in flight finish (at most the graceful time;
        # then it cancels them, and an unfinished write is rolled back), and only then runs the
        # lifespan's end, which closes the pools.
        uvicorn.run(
            app,
            factory=args.workers > 1,
            host=args.host,
            port=args.port,
            workers=args.workers,
            log_config=log_config,
            log_level="info",
            access_log=args.access_log,
            # Who the client is, behind which proxies, is REGISTER_VERTROUWDE_PROXIES' alone (http/snelheid.py):
            # uvicorn's own X-Forwarded-For rewrite (FORWARDED_ALLOW_IPS) would be a second rule, and a layer.
            proxy_headers=False,
            timeout_graceful_shutdown=settings.graceful_shutdown_seconds or None,
        )
    finally:
        opruimen()


class ZonderQueryString(logging.Filter):
    """uvicorn's access log without query strings: a GET's `query` and `variables` hold search terms
    and BSNs, and no log line may hold personal data."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and len(record.args) >= 3 and isinstance(record.args[2], str):
            pad, _, rest = record.args[2].partition("?")
            record.args = (*record.args[:2], pad + ("?…" if rest else ""), *record.args[3:])
        return True


def _na_sigterm_klaar() -> None:
    """uvicorn drains on SIGTERM and then raises the signal again at this handler: the drain was the
    answer to it, so the process ends with 0 (a stop asked for and done), not killed by the signal.
    A SIGTERM before uvicorn listens ends the process at once, with 0 too: nothing was in flight."""
    import signal

    def klaar(_sig: int, _frame: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, klaar)


GC_JONG = 20_000  # the cyclic collector's youngest generation in a server (see _gc_voor_een_server)


def voor_een_server() -> None:
    """What a server process does once its app is built, one worker or each of several: the
    collector set for a server, uvicorn's header checks and header lines remembered (http/koppencontrole.py,
    http/antwoordkop.py)."""
    from .http import antwoordkop, koppencontrole

    _gc_voor_een_server()
    koppencontrole.installeer()
    antwoordkop.installeer()


def _gc_voor_een_server() -> None:
    """The schema, the modules and the engine live as long as the process: move them out of the
    cyclic collector's sight (gc.freeze), so that its full collections stop walking them again and
    again. Then a young generation of 20,000 objects where Python's is 700: a board page builds tens
    of thousands of objects, and with 16 in flight nearly all of them were alive at every young
    collection, walked, promoted and walked again until a full one. Measured in one server process
    on 300,000 teachers (bench, 2026-12-01): the board page 6.7 -> 5.8 ms of server CPU, a
    teacher's `ik` after board pages 0.60 -> 0.51 ms, peak RSS 126 -> 128 MB under reads and
    135/141 -> 189 MB under the delivery and the assessment (the collector off altogether: 4.8 ms,
    but 333 MB, as the executor's requests leave cycles behind)."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_JONG, 10, 10)


def cmd_token(args: argparse.Namespace) -> None:
    from .auth.demo import maak_token

    settings = _settings()
    if not settings.demo:
        sys.exit("lerarenregister: tokens are minted only in demo mode (REGISTER_DEMO=true)")
    nodig = {
        "leraar": ("bsn", args.bsn),
        "schoolbestuur": ("bevoegd-gezag", args.bevoegd_gezag),
        "aanbieder": ("aanbieder", args.aanbieder),
    }
    if args.rol in nodig and not nodig[args.rol][1]:
        sys.exit(f"lerarenregister: --rol {args.rol} needs --{nodig[args.rol][0]}")
    print(
        maak_token(
            settings,
            args.rol,
            geldig_seconden=args.minuten * 60,
            bsn=args.bsn,
            bevoegd_gezag=args.bevoegd_gezag,
            aanbieder=args.aanbieder,
            name=args.naam,
        )
    )


def cmd_sdl(_args: argparse.Namespace) -> None:
    from .schema import sdl

    sys.stdout.write(sdl())


def cmd_matrix(args: argparse.Namespace) -> None:
    from .matrix import matrix_markdown, werk_readme_bij

    if args.readme:
        veranderd = werk_readme_bij(args.readme)
        print(f"{args.readme}: {'updated' if veranderd else 'already current'}")
    else:
        sys.stdout.write(matrix_markdown())


def cmd_sleutels(_args: argparse.Namespace) -> None:
    """How many teachers stand under which BSN key. It re-keys nothing: the register sees a BSN only
    during a delivery or a login, and only a delivery moves a teacher to the current key."""
    from .db import migrate
    from .resolvers.sleutels import per_sleutel

    settings = _settings()
    migrate(settings.database_url)
    stand = asyncio.run(per_sleutel(settings))
    print(f"current key {stand.huidig}: {stand.onder_huidig} teachers")
    if stand.vorige is not None:
        print(f"previous key {stand.vorige} (REGISTER_SECRET_KEY_VORIGE): {stand.onder_vorige} teachers")
    print(f"another or an unrecorded key: {stand.anders} teachers")
    if stand.onder_vorige or stand.anders:
        print("keep REGISTER_SECRET_KEY_VORIGE until these are 0: each is re-keyed at its next delivery")


def cmd_importeer(args: argparse.Namespace) -> None:
    from pathlib import Path

    from .db import make_engine, make_sessionmaker, migrate
    from .resolvers.vrijwillig import laad_export

    settings = _settings()
    pad = Path(args.bestand)
    if not pad.is_file():
        sys.exit(f"lerarenregister: no such file: {pad}")
    migrate(settings.database_url)

    async def laad() -> tuple[int, int]:
        engine = make_engine(settings.database_url)
        try:
            return await laad_export(make_sessionmaker(engine), pad)
        finally:
            await engine.dispose()

    geladen, overgeslagen = asyncio.run(laad())
    print(f"voluntary-register accounts loaded: {geladen}, skipped: {overgeslagen}")


def _zonder_wachtwoord(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="lerarenregister", description="The Dutch teachers' register.")
    sub = parser.add_subparsers(dest="cmd", required=True)

    p = sub.add_parser("serve", help="migrate, then serve the GraphQL API")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--access-log", action="store_true", help="log every request line")
    p.add_argument("--workers", type=int, default=1, help="worker processes on the one port (default 1)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("migrate", help="create or upgrade the schema at REGISTER_DATABASE_URL")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("token", help="mint a demo token (demo mode only)")
    p.add_argument("--rol", required=True, choices=ROL_KEUZES)
    p.add_argument("--bsn")
    p.add_argument("--bevoegd-gezag", dest="bevoegd_gezag")
    p.add_argument("--aanbieder")
    p.add_argument("--naam")
    p.add_argument("--minuten", type=int, default=8 * 60)
    p.set_defaults(func=cmd_token)

    p = sub.add_parser("importeer-vrijwillig-register", help="load the old voluntary register's export (JSON lines)")
    p.add_argument("bestand")
    p.set_defaults(func=cmd_importeer)

    p = sub.add_parser("sleutels", help="count the teachers under the current and the previous BSN key")
    p.set_defaults(func=cmd_sleutels)

    p = sub.add_parser("sdl", help="print the SDL, directives included")
    p.set_defaults(func=cmd_sdl)

    p = sub.add_parser("matrix", help="print the visibility matrix, or update it in a README")
    p.add_argument("--readme", help="rewrite the matrix section of this README in place")
    p.set_defaults(func=cmd_matrix)

    args = parser.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
