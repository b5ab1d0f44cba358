"""CPU seconds used so far by the load-tested server and by its database's PostgreSQL backends,
read from /proc (Linux): `make loadtest` takes one reading before locust starts and one after,
and the report divides the difference by the requests served. On a shared machine the
response times grow with the others' load; the CPU a request costs much less so.

    python -m devtools.loadtest.cpu SESSION_ID DATABASE_NAME  → {"server": s, "database": s}
"""

import json
import os
import sys
from pathlib import Path

PROC = Path("/proc")


def _stat(pid_dir: Path) -> list[str] | None:
    try:
        text = (pid_dir / "stat").read_text()
    except OSError:  # the process ended meanwhile, or this is no Linux
        return None
    # The command name, in parentheses, may hold spaces: fields count from after it.
    return text[text.rindex(")") + 2 :].split()


def _cmdline(pid_dir: Path) -> str:
    try:
        return (pid_dir / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def cpu_seconds(session: int, database: str, proc: Path = PROC) -> dict:
    """User and system CPU of the processes of `session` (the server started by `setsid`:
    gunicorn, its workers) and of PostgreSQL backends connected to `database`."""
    ticks = os.sysconf("SC_CLK_TCK")
    server = backends = 0
    for pid_dir in proc.glob("[0-9]*"):
        fields = _stat(pid_dir)
        if fields is None:
            continue
        # After the command: state(0) ppid(1) pgrp(2) session(3) ... utime(11) stime(12).
        used = int(fields[11]) + int(fields[12])
        if int(fields[3]) == session:
            server += used
        elif _cmdline(pid_dir).startswith("postgres: ") and f" {database} " in _cmdline(pid_dir):
            backends += used
    return {"server": server / ticks, "database": backends / ticks}


if __name__ == "__main__":
    print(json.dumps(cpu_seconds(int(sys.argv[1]), sys.argv[2])))
