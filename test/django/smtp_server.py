"""Local SMTP server for the Django proof (Debian's python3-aiosmtpd), on 127.0.0.1.

Accepts every message except the REJECT_DATA-th DATA command (1-based), which it refuses with
"450 4.7.1 too many requests per time unit", like OVH's rate limit. Each DATA (accepted or not) is appended
as one JSON line to OUT: {"n": ..., "accepted": bool, "rcpt_tos": [...], "subject": ...}.
Prints "READY <port>" once listening; stops on SIGTERM or when stdin closes.
"""
import json
import os
import signal
import socket
import sys
import threading
from email import message_from_bytes

from aiosmtpd.controller import Controller


class Handler:
    def __init__(self, out, reject):
        self.out = out
        self.reject = reject
        self.n = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.n += 1
            n = self.n
        accepted = n != self.reject
        msg = message_from_bytes(envelope.original_content or envelope.content)
        with open(self.out, "a", encoding="utf-8") as f:
            f.write(json.dumps({"n": n, "accepted": accepted, "rcpt_tos": list(envelope.rcpt_tos), "subject": str(msg.get("Subject", ""))}) + "\n")
        if not accepted:
            return "450 4.7.1 too many requests per time unit"
        return "250 OK"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    out = os.environ["OUT"]
    reject = int(os.environ.get("REJECT_DATA", "0"))
    port = free_port()
    controller = Controller(Handler(out, reject), hostname="127.0.0.1", port=port)
    controller.start()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    print(f"READY {port}", flush=True)
    done.wait()
    controller.stop()


if __name__ == "__main__":
    main()
