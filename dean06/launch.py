"""The ``dean06`` command's entry: Ctrl-C gives one line and exit 130, never a traceback or
a crash, and a Ctrl-C that comes once the command's outcome is decided cannot cut its exit
short."""

import contextlib
import signal
import sys
from collections.abc import Iterator

_as_command = False  # this process is the dean06 command, not a program that imports dean06


def ignore_ctrl_c() -> None:
    """From now on Ctrl-C is ignored. Python's own handler would raise in the middle of the
    summary, and once Python starts shutting down it hands SIGINT back to the system, which
    would kill the process (exit -2) after its work is done. SIG_IGN holds through the
    shutdown."""
    while True:
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            return
        except KeyboardInterrupt:  # one already on its way in: ignored as well
            continue


def outcome_decided() -> None:
    """Called once a command's outcome is decided (the batch is over): Ctrl-C is ignored from
    then on in the dean06 command, so the summary and the exit go out whole. A program
    that calls the command line in process keeps its own handler."""
    if _as_command:
        ignore_ctrl_c()


@contextlib.contextmanager
def _ctrl_c_noted() -> Iterator[list[int]]:
    """Ctrl-C during the block is noted, not raised: a KeyboardInterrupt in the middle of a
    compiled library's import can abort Python (exit -6), and under ``python -m`` one
    raised inside an import makes Python kill itself at exit whatever catches it."""
    noted: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: noted.append(number))
    try:
        yield noted
    finally:
        signal.signal(signal.SIGINT, previous)


def main() -> None:
    """Run the command line."""
    global _as_command
    _as_command = True
    try:
        with _ctrl_c_noted() as noted:
            from dean06.cli import app
        if noted:
            raise KeyboardInterrupt
        app(prog_name="dean06")
    except KeyboardInterrupt:
        ignore_ctrl_c()
        print("interrupted before anything was read", file=sys.stderr)
        sys.exit(130)
    finally:
        ignore_ctrl_c()
