"""An S3-compatible object store for tests: moto's server, on a free port of this machine.

Real HTTP and the real S3 protocol (boto3 and django-storages talk to it as to MinIO), with
the objects in the server's memory: nothing leaves the machine.
"""

import contextlib
import logging
import socket

BUCKET = "conventions-test"
ACCESS_KEY_ID = "test-access-key"
SECRET_ACCESS_KEY = "test-secret-key"
REGION = "eu-west-3"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def s3_server():
    """A moto S3 server with an empty bucket `BUCKET`; yields its endpoint URL."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line per request otherwise
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    try:
        client(endpoint).create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        yield endpoint
    finally:
        server.stop()


def client(endpoint: str):
    """A boto3 client of the store: reads the bucket as an operator would, not through
    the application."""
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=ACCESS_KEY_ID,
        aws_secret_access_key=SECRET_ACCESS_KEY,
        region_name=REGION,
    )


def environment(endpoint: str) -> dict[str, str]:
    """The application's settings of that store, as a deployment sets them."""
    return {
        "S3_BUCKET": BUCKET,
        "S3_ENDPOINT_URL": endpoint,
        "S3_ACCESS_KEY_ID": ACCESS_KEY_ID,
        "S3_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY,
        "S3_REGION": REGION,
    }


def storage_settings(endpoint: str) -> dict:
    """`STORAGES["default"]` for that store, built by the settings' own helper."""
    from config.settings import object_storage

    return object_storage(environment(endpoint))
