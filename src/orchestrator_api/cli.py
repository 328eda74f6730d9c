"""``orchestrator-api``: db | users | dags | secrets | serve | workers | scheduler | worker.

Each command prints what it did, is safe to repeat where that makes sense, and on failure exits 1 with a
one-line message on stderr.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from orchestrator_api import __version__, db
from orchestrator_api.authoring import cli as authoring_cli
from orchestrator_api.config import PREFIX, ConfigError, get_settings
from orchestrator_api.dags import DagFolderError
from orchestrator_api.migrations import current_revision, upgrade
from orchestrator_api.models.auth import Role, User
from orchestrator_api.operations.progress import Progress
from orchestrator_api.problems import ApiProblem
from orchestrator_api.security.encryption import UndecryptableSecret, configured_keys
from orchestrator_api.security.passwords import generate_password, hash_password
from orchestrator_api.security.reseal import reseal_secrets
from orchestrator_api.tenancy.dag_folders import sync_organization_folders

T = TypeVar("T")


class CommandError(Exception):
    """A failure to report in one line."""


def cmd_db_migrate(_args: argparse.Namespace) -> None:
    engine = db.engine()
    before = current_revision(engine)
    upgrade(engine)
    after = current_revision(engine)
    url = engine.url.render_as_string(hide_password=True)
    print(
        f"database {url}: "
        + (f"upgraded {before or 'empty'} -> {after}" if before != after else f"at {after}")
    )


def _password(args: argparse.Namespace) -> tuple[str, bool]:
    """The password to set and whether it was generated (and so must be shown once)."""
    if args.password:
        return args.password, False
    from_env = os.environ.get(f"{PREFIX}PASSWORD")
    if from_env:
        return from_env, False
    if args.generate_password:
        return generate_password(), True
    if not sys.stdin.isatty():
        raise CommandError(f"no password: pass --password, set {PREFIX}PASSWORD or use --generate-password")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Repeat password: "):
        raise CommandError("the passwords do not match")
    return first, False


def cmd_users_create(args: argparse.Namespace) -> None:
    with db.transaction() as session:
        if session.scalar(select(User.id).where(User.username == args.username)) is not None:
            print(f"user {args.username} already exists; left unchanged")
            return
        role = session.scalar(select(Role).where(Role.name == args.role))
        if role is None:
            names = ", ".join(session.scalars(select(Role.name).order_by(Role.name)))
            raise CommandError(f"role {args.role!r} does not exist (roles: {names})")
        if session.scalar(select(User.id).where(User.email == args.email)) is not None:
            raise CommandError(f"another user already has the email {args.email}")
        password, generated = _password(args)
        if len(password) < 8:
            raise CommandError("the password must have at least 8 characters")
        session.add(
            User(
                username=args.username,
                email=args.email,
                first_name=args.firstname,
                last_name=args.lastname,
                password_hash=hash_password(password),
                roles=[role],
            )
        )
    print(f"created user {args.username} with role {args.role}")
    if generated:
        print(f"password for {args.username} (shown once): {password}")


def cmd_dags_sync(args: argparse.Namespace) -> None:
    folder = Path(args.dags_folder or get_settings().dags_folder)
    try:
        with db.transaction() as session:
            report = sync_organization_folders(
                session,
                folder,
                progress=Progress("dags sync", "files parsed", args.progress_every, quiet=args.quiet),
            )
    except DagFolderError as exc:
        raise CommandError(str(exc)) from None
    print(report.summary())
    if args.strict and report.import_error_count:
        raise CommandError(f"{report.import_error_count} DAG file(s) failed to load")


def cmd_dags_export(args: argparse.Namespace) -> None:
    with db.transaction() as session:
        source = _problem_as_error(lambda: authoring_cli.export_definition(session, args.dag_id))
    if args.output:
        Path(args.output).write_text(source, encoding="utf-8")
        print(f"wrote DAG {args.dag_id} to {args.output}")
    else:
        sys.stdout.write(source)


def cmd_dags_import(args: argparse.Namespace) -> None:
    try:
        text = Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"cannot read {args.file}: {exc}") from None
    with db.transaction() as session:
        outcome = _problem_as_error(lambda: authoring_cli.import_definition(session, text))
    print(outcome)


def _problem_as_error(action: Callable[[], T]) -> T:
    """Run ``action``; a refusal the API would answer as a problem becomes a one-line CLI error."""
    try:
        return action()
    except ApiProblem as exc:
        raise CommandError(str(exc.detail)) from None


def cmd_secrets_rotate(args: argparse.Namespace) -> None:
    progress = Progress("secrets rotate", "rows rewritten", args.progress_every, quiet=args.quiet)
    with db.transaction() as session:
        # One executemany per progress step: the line is printed when its rows are written.
        count = reseal_secrets(session, batch=progress.every, progress=progress)
    keys = configured_keys()
    how = (
        f"encrypted with the first of {len(keys)} key(s)"
        if keys
        else f"in plain text (no {PREFIX}FERNET_KEY)"
    )
    print(f"rewrote {count} secret value(s) {how}")


def cmd_serve(args: argparse.Namespace) -> None:
    from orchestrator_api.server import exec_serve

    settings = get_settings()
    exec_serve(
        bind=args.bind or settings.bind,
        workers=args.workers or settings.workers,
        timeout=settings.worker_timeout,
    )


def cmd_workers_create(args: argparse.Namespace) -> None:
    from orchestrator_api.execution.identity import register_worker
    from orchestrator_api.models.worker import Worker

    with db.transaction() as session:
        existing = session.scalars(select(Worker).where(Worker.name == args.name)).first()
        if existing is not None and not args.replace:
            raise CommandError(f"a worker named {args.name} exists already (--replace issues a new token)")
        if existing is not None:
            session.delete(existing)  # its old token stops working; held leases expire as usual
            session.flush()
        worker, token = register_worker(session, args.name, created_by="cli")
    print(f"created worker {args.name} (id {worker.id})")
    print(f"token for {args.name} (shown once): {token}")


def cmd_scheduler(args: argparse.Namespace) -> None:
    from orchestrator_api.scheduling.loop import run

    run(once=args.once, interval=args.interval)


def cmd_worker(args: argparse.Namespace) -> None:
    from orchestrator_api.execution.worker import run

    token = args.token or os.environ.get(f"{PREFIX}WORKER_TOKEN", "")
    if not token:
        raise CommandError(f"no worker token: pass --token or set {PREFIX}WORKER_TOKEN")
    queues = [queue.strip() for queue in args.queues.split(",") if queue.strip()]
    if not queues:
        raise CommandError("--queues names no queue")
    run(
        api_url=args.api_url,
        token=token,
        queues=queues,
        concurrency=args.concurrency,
        poll_interval=args.poll_interval,
    )


def _progress_options(parser: argparse.ArgumentParser, every: int) -> None:
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    parser.add_argument(
        "--progress-every",
        type=int,
        default=every,
        metavar="N",
        help=f"a progress line every N items ({every})",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="orchestrator-api", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    groups = parser.add_subparsers(dest="group", required=True)

    database = groups.add_parser("db", help="the metadata database").add_subparsers(
        dest="command", required=True
    )
    database.add_parser("migrate", help="create or upgrade the schema").set_defaults(func=cmd_db_migrate)

    users = groups.add_parser("users", help="users").add_subparsers(dest="command", required=True)
    create = users.add_parser("create", help="create a user (no change if the username exists)")
    create.add_argument("--username", required=True)
    create.add_argument("--email", required=True)
    create.add_argument("--role", required=True, help="Admin, Op, User, Viewer, Public or a custom role")
    create.add_argument("--firstname", default="")
    create.add_argument("--lastname", default="")
    create.add_argument("--password", help=f"else ${PREFIX}PASSWORD, else a prompt")
    create.add_argument("--generate-password", action="store_true", help="generate one and print it once")
    create.set_defaults(func=cmd_users_create)

    dags = groups.add_parser("dags", help="DAG files").add_subparsers(dest="command", required=True)
    sync = dags.add_parser("sync", help="load every DAG file of the folder into the store")
    sync.add_argument("--dags-folder", help=f"default: ${PREFIX}DAGS_FOLDER")
    sync.add_argument("--strict", action="store_true", help="exit 1 if any file fails to load")
    _progress_options(sync, every=100)
    sync.set_defaults(func=cmd_dags_sync)

    export = dags.add_parser("export", help="print the YAML definition of a DAG (API or file)")
    export.add_argument("dag_id")
    export.add_argument("--output", "-o", help="write to this file instead of standard output")
    export.set_defaults(func=cmd_dags_export)
    load = dags.add_parser("import", help="create an API DAG from a YAML file, or replace its definition")
    load.add_argument("file")
    load.set_defaults(func=cmd_dags_import)

    secrets = groups.add_parser("secrets", help="secrets at rest").add_subparsers(
        dest="command", required=True
    )
    rotate = secrets.add_parser(
        "rotate", help=f"re-encrypt stored secrets with the first key of ${PREFIX}FERNET_KEY"
    )
    _progress_options(rotate, every=1000)
    rotate.set_defaults(func=cmd_secrets_rotate)

    serve = groups.add_parser("serve", help="serve the API with gunicorn and uvicorn workers")
    serve.add_argument("--bind", help=f"HOST:PORT (default: ${PREFIX}BIND)")
    serve.add_argument("--workers", type=int, help=f"worker processes (default: ${PREFIX}WORKERS)")
    serve.set_defaults(func=cmd_serve)

    workers = groups.add_parser("workers", help="worker identities").add_subparsers(
        dest="command", required=True
    )
    register = workers.add_parser("create", help="register a worker and print its token once")
    register.add_argument("--name", required=True)
    register.add_argument("--replace", action="store_true", help="replace a worker of that name (new token)")
    register.set_defaults(func=cmd_workers_create)

    scheduler = groups.add_parser("scheduler", help="create runs and move task instances along")
    scheduler.add_argument("--once", action="store_true", help="run passes until nothing changes, then exit")
    scheduler.add_argument(
        "--interval", type=float, help=f"seconds between passes (${PREFIX}SCHEDULER_INTERVAL)"
    )
    scheduler.set_defaults(func=cmd_scheduler)

    worker = groups.add_parser("worker", help="claim and run task instances through the HTTP API")
    worker.add_argument("--queues", default="default", help="comma-separated queues (default: default)")
    worker.add_argument("--api-url", default=os.environ.get(f"{PREFIX}API_URL", "http://127.0.0.1:8080"))
    worker.add_argument("--token", help=f"worker token (default: ${PREFIX}WORKER_TOKEN)")
    worker.add_argument("--concurrency", type=int, default=4, help="tasks run at once (default: 4)")
    worker.add_argument("--poll-interval", type=float, default=0.5, help="seconds between empty claims")
    worker.set_defaults(func=cmd_worker)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace], None] = args.func
    try:
        func(args)
    except (CommandError, ConfigError, UndecryptableSecret) as exc:
        print(f"orchestrator-api: error: {exc}", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        original = getattr(exc, "orig", None)
        detail = str(original) if original is not None else type(exc).__name__
        print(f"orchestrator-api: database error: {detail.splitlines()[0]}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
