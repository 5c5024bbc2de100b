#!/usr/bin/python3
"""An SMTP server on loopback for the delivery tests (aiosmtpd).

Prints "PORT <n>" once it listens, then serves until stdin closes or it is killed. Every
accepted message is appended to --out as one JSON line {"from", "to", "data"} and flushed.

  --tls-cert/--tls-key  offer STARTTLS (and require it before AUTH)
  --auth USER:PASS      require AUTH (PLAIN or LOGIN)
  --reply ADDR=REPLY    answer RCPT TO:<ADDR> with REPLY, e.g. "451 4.7.1 Try again later"
  --recipients-only     write only the recipients (no data) to --out: for large runs
  --pipelining          offer PIPELINING (RFC 2920) in the EHLO reply
"""
import argparse
import asyncio
import json
import socket
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Handler:
    def __init__(self, out, replies, recipients_only):
        self.out = out
        self.replies = replies
        self.recipients_only = recipients_only
        self.count = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.replies:
            return self.replies[address]
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            n = self.count
            if self.recipients_only:
                record = {"to": envelope.rcpt_tos}
            else:
                record = {"from": envelope.mail_from, "to": envelope.rcpt_tos,
                          "data": envelope.original_content.decode("utf-8", "replace"),
                          "tls": session.ssl is not None,
                          "auth": session.authenticated,
                          "peer": session.peer[1]}
            self.out.write(json.dumps(record) + "\n")
            self.out.flush()
        return "250 2.0.0 Ok: queued as Q%d" % n


class PipeliningHandler(Handler):
    """aiosmtpd reads commands line by line, so pipelined ones work; it just does not say so."""

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        return responses[:-1] + ["250-PIPELINING", responses[-1]]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--auth")
    p.add_argument("--reply", action="append", default=[])
    p.add_argument("--recipients-only", action="store_true")
    p.add_argument("--pipelining", action="store_true")
    a = p.parse_args()

    replies = {}
    for r in a.reply:
        addr, _, text = r.partition("=")
        replies[addr] = text
    out = open(a.out, "a", encoding="utf-8")
    handler = (PipeliningHandler if a.pipelining else Handler)(out, replies, a.recipients_only)

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()

    kwargs = {}
    if a.tls_cert:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(a.tls_cert, a.tls_key)
        kwargs["tls_context"] = ctx
        kwargs["require_starttls"] = True
    if a.auth:
        user, _, password = a.auth.partition(":")

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user
                  and auth_data.password.decode() == password)
            return AuthResult(success=ok)

        kwargs["authenticator"] = authenticator
        kwargs["auth_required"] = True
        kwargs["auth_require_tls"] = bool(a.tls_cert)
    else:
        kwargs["auth_require_tls"] = False
    controller = Controller(handler, hostname="127.0.0.1", port=port, ready_timeout=10, **kwargs)
    controller.start()
    print("PORT %d" % port, flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
