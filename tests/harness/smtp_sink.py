#!/usr/bin/python3
"""An SMTP sink on 127.0.0.1 for the integration tests (Debian's python3-aiosmtpd).

Usage: smtp_sink.py --port N --dir DIR   (N = 0 picks a free port)

Prints "listening on PORT" once ready. Each accepted message is stored once per accepted
recipient as DIR/NNNNNN-I.eml (the DATA bytes exactly as received, dot-unstuffed) with a
sidecar DIR/NNNNNN-I.json {mail_from, rcpt_to, rcpt_tos, peer, received}. Both are written
under a temporary name and renamed, the .json first, so a visible .eml is always complete.

Faults by the local part of a recipient:
  tempfail...@  ->  451 4.3.0 try again later   (at RCPT)
  reject...@    ->  550 5.1.1 no such user      (at RCPT)

Stops cleanly on SIGTERM or SIGINT. Run it with /usr/bin/python3 (DESIGN.md, Tests).
"""
import argparse
import asyncio
import itertools
import json
import os
import signal
import time

from aiosmtpd.smtp import SMTP


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.numbers = itertools.count(1)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.rsplit("@", 1)[0].lower()
        if local.startswith("tempfail"):
            return "451 4.3.0 try again later"
        if local.startswith("reject"):
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        number = next(self.numbers)
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "peer": "%s:%d" % tuple(session.peer[:2]),
            "received": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        for index, rcpt in enumerate(envelope.rcpt_tos):
            stem = "%06d-%d" % (number, index)
            sidecar = json.dumps(dict(meta, rcpt_to=rcpt), indent=1).encode()
            self._write(stem + ".json", sidecar)
            self._write(stem + ".eml", envelope.original_content)
        return "250 OK stored as %06d" % number

    def _write(self, name, data):
        tmp = os.path.join(self.directory, ".tmp-" + name)
        with open(tmp, "wb") as f:
            f.write(data)
        os.rename(tmp, os.path.join(self.directory, name))


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)

    loop = asyncio.get_running_loop()
    sink = Sink(args.dir)
    server = await loop.create_server(
        lambda: SMTP(sink, hostname="sink.test", enable_SMTPUTF8=True),
        host="127.0.0.1", port=args.port)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print("listening on %d" % server.sockets[0].getsockname()[1], flush=True)
    await stop.wait()
    server.close()
    await server.wait_closed()


if __name__ == "__main__":
    asyncio.run(main())
