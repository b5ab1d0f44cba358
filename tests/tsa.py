"""A real RFC 3161 timestamp authority on 127.0.0.1, for the seal's tests: an HTTP server in
a thread that answers each `application/timestamp-query` POST with a token signed by a
throw-away certificate (pyHanko's `DummyTimeStamper` builds the token)."""

import contextlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import tsp
from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder
from pyhanko.sign.timestamps import DummyTimeStamper

from .pki import make_tsa_certificate


@contextlib.contextmanager
def timestamp_authority(folder):
    """Serves a TSA while the block runs; yields the server (`.requests`: how many it
    answered), its URL and its certificate's PEM path."""
    cert_path, key_path = make_tsa_certificate(folder)
    stamper = DummyTimeStamper(
        tsa_cert=load_cert_from_pemder(str(cert_path)),
        tsa_key=load_private_key_from_pemder(str(key_path), passphrase=None),
    )

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            if self.headers.get("Content-Type") != "application/timestamp-query":
                self.send_error(415)
                return
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            body = stamper.request_tsa_response(request).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            server.requests += 1

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.requests = 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, f"http://127.0.0.1:{server.server_address[1]}/tsa", cert_path
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
