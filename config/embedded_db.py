"""The embedded PostgreSQL used when DATABASE_URL is unset (pgserver, data in .data/postgres/).

The server starts on the first database connection, not at import, so commands that need no
database (pb_tally, makemessages) never start one. pgserver keeps a count of the processes that
use the server and stops it when the last one exits. A process that was killed (a closed terminal,
SIGKILL) never leaves that count, and the server would then outlive every later run: such processes
are dropped from it before a process joins.
"""

import threading
import warnings
from pathlib import Path
from urllib.parse import parse_qs, urlparse

DATA_DIR = Path(__file__).resolve().parent.parent / ".data" / "postgres"

_lock = threading.Lock()
_server = None
_ensured: set[str] = set()


def socket_dir(database: str | None) -> str:
    """Start the embedded server if needed, create `database` in it, and return its socket directory."""
    global _server
    with _lock:
        if _server is None:
            try:
                import pgserver
            except ImportError as exc:  # pgserver has no wheels for Python 3.13+
                raise RuntimeError(
                    "DATABASE_URL is unset and the embedded PostgreSQL (pgserver) is not installed "
                    "for this Python. Set DATABASE_URL=postgres://user@host:5432/borgerbudget."
                ) from exc
            DATA_DIR.mkdir(parents=True, exist_ok=True)
            with warnings.catch_warnings():
                # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); pgserver copes.
                warnings.simplefilter("ignore")
                forget_killed_users(DATA_DIR)
                _server = pgserver.get_server(DATA_DIR, cleanup_mode="stop")
        host = parse_qs(urlparse(_server.get_uri()).query)["host"][0]
        if database and database not in _ensured:
            _database_ensure(host, database)
            _ensured.add(database)
    return host


def forget_killed_users(data_dir: Path) -> list[int]:
    """Drop the processes that no longer exist from pgserver's list of the server's users in
    `data_dir` (under pgserver's own lock); returns those that are left."""
    import psutil
    from pgserver.postgres_server import PostgresServer
    from pgserver.utils import DiskList

    with PostgresServer._lock:
        users = DiskList(data_dir / ".handle_pids.json")
        listed = users.get()
        alive = [pid for pid in listed if psutil.pid_exists(pid)]
        if alive != listed:
            users.put(alive)
        return alive


def _database_ensure(host: str, database: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(host=host, user="postgres", dbname="postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
