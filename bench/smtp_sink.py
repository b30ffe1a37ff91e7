"""A local SMTP server (aiosmtpd) that keeps nothing but a count: bench/notify.sh's mail relay.

    smtp_sink.py PORT COUNT_FILE

Every accepted message rewrites COUNT_FILE with "<messages> <first epoch s> <last epoch s>".
"""
import asyncio
import sys
import time

from aiosmtpd.controller import Controller


class Counter:
    def __init__(self, path):
        self.path = path
        self.count = 0
        self.first = 0.0

    async def handle_DATA(self, server, session, envelope):
        now = time.time()
        if self.count == 0:
            self.first = now
        self.count += 1
        with open(self.path, "w") as f:
            f.write(f"{self.count} {self.first:.3f} {now:.3f}\n")
        return "250 OK"


def main():
    port, path = int(sys.argv[1]), sys.argv[2]
    with open(path, "w") as f:
        f.write("0 0 0\n")
    controller = Controller(Counter(path), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        asyncio.get_event_loop().run_until_complete(asyncio.Event().wait())
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
