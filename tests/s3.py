"""A real S3 server (moto) for the storage, readiness and document tests (a pytest plugin)."""

from __future__ import annotations

import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import free_port

MOTO_SERVER = Path(__file__).resolve().parents[1] / ".venv" / "bin" / "moto_server"
REGION = "eu-central-1"


def wait_until_answering(url: str, process: subprocess.Popen[bytes], seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=1).close()  # noqa: S310 - our own local server
            return
        except urllib.error.HTTPError:
            return  # it answers, even if not with 200
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """The URL of a moto S3 server running in a subprocess for the whole session."""
    port = free_port()
    process = subprocess.Popen(
        [str(MOTO_SERVER), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def s3_client(endpoint: str) -> Any:
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="test",
        aws_secret_access_key="test-secret",
    )


@pytest.fixture
def s3_bucket(s3_endpoint: str) -> str:
    """A new, empty bucket of the test's own."""
    name = f"portal-test-{uuid.uuid4().hex[:12]}"
    s3_client(s3_endpoint).create_bucket(
        Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    return name


def with_s3(settings: Any, endpoint: str, bucket: str) -> Any:
    return settings.replace(
        s3_endpoint_url=endpoint,
        s3_bucket=bucket,
        s3_region=REGION,
        s3_access_key_id="test",
        s3_secret_access_key="test-secret",
    )
