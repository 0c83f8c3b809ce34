#!/usr/bin/env python3
"""Runs a command on a real pseudo-terminal and plays a script of keystrokes against it.

    pty-run.py '<steps json>' <timeout seconds> -- <command> [args...]

steps: a JSON list of {"expect": "text", "send": "keys"}. For each step the helper waits until
`expect` appears in the screen output (ANSI escapes removed) that arrived after the previous
step's match, then types `send` (JSON escapes give the keys: "\\r" enter, "\\u001b[B" down,
" " space, "\\u0003" Ctrl-C). After the last step it waits for the command to exit.

stdout: the whole transcript, ANSI escapes removed. Exit code: the command's (128 + n when killed
by signal n); 124 when an expected text never appeared (stderr says which), 125 on bad usage.
"""
import json
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import fcntl
import time

ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][A-Z0-9]|\x1b[=>78]")


def plain(raw: bytes) -> str:
    return ANSI.sub(b"", raw).replace(b"\r", b"").decode("utf-8", "replace")


def main() -> int:
    if len(sys.argv) < 5 or sys.argv[3] != "--":
        print(__doc__, file=sys.stderr)
        return 125
    steps = json.loads(sys.argv[1])
    timeout = float(sys.argv[2])
    cmd = sys.argv[4:]

    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))

    raw = bytearray()
    eof = False

    def pump(until: float) -> None:
        nonlocal eof
        if eof:
            return
        ready, _, _ = select.select([fd], [], [], max(0.0, until - time.time()))
        if not ready:
            return
        try:
            data = os.read(fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            data = b""
        if data:
            raw.extend(data)
        else:
            eof = True

    def finish(code: int) -> int:
        sys.stdout.write(plain(bytes(raw)))
        sys.stdout.flush()
        return code

    start = 0  # raw offset after the previous match
    for i, step in enumerate(steps):
        deadline = time.time() + timeout
        while step["expect"] not in plain(bytes(raw[start:])):
            if eof or time.time() > deadline:
                print(f"step {i}: never saw {step['expect']!r}", file=sys.stderr)
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                os.waitpid(pid, 0)
                return finish(124)
            pump(min(deadline, time.time() + 0.1))
        start = len(raw)
        time.sleep(0.05)  # let the prompt finish drawing and start reading keys
        os.write(fd, step["send"].encode())

    deadline = time.time() + timeout
    while not eof and time.time() < deadline:
        pump(min(deadline, time.time() + 0.1))
    if not eof:
        print("the command did not exit", file=sys.stderr)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        return finish(124)
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    return finish(code if code >= 0 else 128 - code)


if __name__ == "__main__":
    sys.exit(main())
