"""A run's rows stored by a second process, so scoring and storing use two cores.

SQLite keeps the interpreter lock while it inserts, so a thread cannot overlap storing with
scoring; a child process can. `Store.write_run` hands a long run to `RunWriter`: the child
(`python -m dangjian.writer DB`) opens the same database, writes the whole run in one
transaction, exactly as the parent would, and commits only when told the run is complete. If
the parent stops halfway (an error, Ctrl-C) the child sees its input end and rolls back, so an
interrupted batch still leaves nothing behind.

Messages are msgpack frames (4-byte length, then the body) on the child's stdin: `begin` with
the run's metadata, `rows` batches, `finish` with the counts. The child answers once on stdout:
`["ok", run_id]` or `["error", message]`. The child reads its input on a second thread into a
short queue, so the parent does not wait on a full pipe while the child inserts a batch.
"""

from __future__ import annotations

import queue
import signal
import sqlite3
import struct
import subprocess
import sys
import threading
from typing import Any, BinaryIO

import msgspec

_HEADER = struct.Struct("<I")
_encode = msgspec.msgpack.Encoder().encode
_decode = msgspec.msgpack.Decoder().decode


class WriterFailed(sqlite3.OperationalError):
    """The child could not store the run (reported like any SQLite error); `message` is the
    child's own explanation."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _send(stream: BinaryIO, message: Any) -> None:
    body = _encode(message)
    stream.write(_HEADER.pack(len(body)))
    stream.write(body)


def _receive(stream: BinaryIO) -> Any | None:
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(header)
    return _decode(stream.read(size))


class RunWriter:
    """The parent's side: start the child, send it rows, and learn how the run ended."""

    def __init__(self, path: str, begin: list) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "dangjian.writer", path],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self._send(["begin", *begin])

    def _send(self, message: list) -> None:
        try:
            _send(self.proc.stdin, message)
        except BrokenPipeError:
            raise self._failure() from None

    def rows(self, results: list, rejects: list) -> None:
        """A batch: scored items as `(seq, Encoded)` and rejects as storage rows."""
        self._send(["rows", results, rejects])

    def finish(self, counts: list) -> int:
        """Tell the child the run is complete; it commits and the run id comes back."""
        self._send(["finish", *counts])
        self.proc.stdin.close()
        reply = _receive(self.proc.stdout)
        self.proc.wait()
        if not reply or reply[0] != "ok":
            raise WriterFailed(reply[1] if reply else "存储进程意外退出，评分批次未保存")
        return reply[1]

    def abandon(self) -> None:
        """Stop without committing: the child rolls the transaction back."""
        try:
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        self.proc.wait()

    def _failure(self) -> WriterFailed:
        reply = _receive(self.proc.stdout)
        self.proc.wait()
        return WriterFailed(reply[1] if reply else "存储进程意外退出，评分批次未保存")


_QUEUED = 3  # batches read ahead: a few megabytes each


def _read_ahead(stdin: BinaryIO) -> queue.Queue:
    """Frames from `stdin` on a daemon thread, into a bounded queue that ends with None (the
    parent stopped) or the `finish` frame."""
    frames: queue.Queue = queue.Queue(maxsize=_QUEUED)

    def pump() -> None:
        while True:
            try:
                message = _receive(stdin)
            except Exception:  # noqa: BLE001 — unreadable input ends the run like closed input
                message = None
            frames.put(message)
            if message is None or message[0] == "finish":
                return

    threading.Thread(target=pump, name="dangjian-writer-input", daemon=True).start()
    return frames


def _serve(path: str, stdin: BinaryIO, stdout: BinaryIO) -> int:
    """The child's side: one run, one transaction, committed only on `finish`."""
    from .pipeline import Encoded
    from .storage import Store

    store = None
    frames = _read_ahead(stdin)
    try:
        store = Store(path)
        conn = store.db.conn
        message = frames.get()
        if not message or message[0] != "begin":
            return 1
        conn.execute("BEGIN")
        run_id = store._begin_run(*message[1:])
        while True:
            message = frames.get()
            if message is None:  # the parent stopped: nothing of this run is kept
                conn.execute("ROLLBACK")
                return 1
            if message[0] == "rows":
                results = [(seq, Encoded(*item)) for seq, item in message[1]]
                store._insert_rows(run_id, results, [(run_id, *row) for row in message[2]])
            elif message[0] == "finish":
                store._finish_run(run_id, *message[1:])
                conn.execute("COMMIT")
                _send(stdout, ["ok", run_id])
                stdout.flush()
                return 0
    except Exception as exc:  # noqa: BLE001  (told to the parent, which raises it)
        if store is not None and store.db.conn.in_transaction:
            store.db.conn.rollback()
        try:
            _send(stdout, ["error", str(exc) or type(exc).__name__])
            stdout.flush()
        except OSError:
            pass
        return 1
    finally:
        if store is not None:
            store.close()


def main() -> int:
    # Ctrl-C reaches the whole process group: the parent decides, and closing our input is
    # how it says stop, so the child never dies half-way through a write on its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    return _serve(sys.argv[1], sys.stdin.buffer, sys.stdout.buffer)


if __name__ == "__main__":
    sys.exit(main())
