"""A local SMTP server over a real socket (the mail server is an outside service we cannot reach here): EHLO/HELO,
MAIL, RCPT, DATA, RSET, NOOP, QUIT, enough for Django's SMTP backend (smtplib). `refuse` maps an address to the
reply its RCPT gets (e.g. "550 5.1.1 <x@example.org>: Recipient address rejected", or "451 4.7.1 Try again later");
every message taken is kept in `messages` as (sender, recipients, data)."""

from __future__ import annotations

import socketserver
import threading


class SMTPServer:
    def __init__(self):
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.refuse: dict[str, str] = {}
        server = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write(line.encode() + b"\r\n")
                self.wfile.flush()

            def handle(self):
                self.reply("220 test.smtp ESMTP ready")
                sender, recipients = "", []
                while True:
                    raw = self.rfile.readline()
                    if not raw:
                        return
                    line = raw.decode("utf-8", "replace").rstrip("\r\n")
                    verb = line[:4].upper()
                    if verb == "EHLO":
                        self.reply("250-test.smtp")
                        self.reply("250 8BITMIME")
                    elif verb == "HELO":
                        self.reply("250 test.smtp")
                    elif verb == "MAIL":
                        sender, recipients = _address(line), []
                        self.reply("250 2.1.0 Ok")
                    elif verb == "RCPT":
                        address = _address(line)
                        answer = server.refuse.get(address)
                        if answer:
                            self.reply(answer)
                        else:
                            recipients.append(address)
                            self.reply("250 2.1.5 Ok")
                    elif verb == "DATA":
                        self.reply("354 End data with <CR><LF>.<CR><LF>")
                        data = b""
                        while True:
                            chunk = self.rfile.readline()
                            if not chunk or chunk == b".\r\n":
                                break
                            data += chunk
                        server.messages.append((sender, list(recipients), data))
                        self.reply("250 2.0.0 Ok: queued")
                    elif verb == "RSET":
                        sender, recipients = "", []
                        self.reply("250 2.0.0 Ok")
                    elif verb == "NOOP":
                        self.reply("250 2.0.0 Ok")
                    elif verb == "QUIT":
                        self.reply("221 2.0.0 Bye")
                        return
                    else:
                        self.reply("502 5.5.2 Error: command not recognized")

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._server = Server(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def configure(self, settings) -> None:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", self.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 5

    def to(self, address: str) -> list[bytes]:
        return [data for _sender, recipients, data in self.messages if address in recipients]

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def _address(line: str) -> str:
    start, end = line.find("<"), line.find(">")
    return line[start + 1 : end] if 0 <= start < end else line.split(":", 1)[-1].strip()
