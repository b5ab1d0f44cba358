"""An S3-compatible object store for tests: moto's server, on a free port of this machine.

Real HTTP and the real S3 protocol (boto3 and django-storages talk to it as to MinIO), with
the objects in the memory of the test process: nothing leaves the machine. moto keeps one
state per process, whatever the number of servers: each store gets a bucket of its own.
"""

import contextlib
import logging
import secrets
import socket
from dataclasses import dataclass

ACCESS_KEY_ID = "test-access-key"
SECRET_ACCESS_KEY = "test-secret-key"
REGION = "eu-west-3"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Store:
    endpoint: str
    bucket: str

    def client(self):
        """A boto3 client of the store: reads the bucket as an operator would, not through
        the application."""
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY_ID,
            aws_secret_access_key=SECRET_ACCESS_KEY,
            region_name=REGION,
        )

    def read(self, key: str) -> bytes:
        return self.client().get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def environment(self) -> dict[str, str]:
        """The application's settings of this store, as a deployment sets them."""
        return {
            "S3_BUCKET": self.bucket,
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_ACCESS_KEY_ID": ACCESS_KEY_ID,
            "S3_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY,
            "S3_REGION": REGION,
        }

    def storage_settings(self) -> dict:
        """`STORAGES["default"]` for this store, built by the settings' own helper."""
        from config.settings import object_storage

        return object_storage(self.environment())


@contextlib.contextmanager
def s3_server():
    """A moto S3 server with an empty bucket; yields its `Store`."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line per request otherwise
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    store = Store(f"http://127.0.0.1:{port}", f"conventions-{secrets.token_hex(6)}")
    try:
        store.client().create_bucket(
            Bucket=store.bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        yield store
    finally:
        server.stop()
