"""Document storage: files on disk, or an S3 bucket (a real moto server)."""

from __future__ import annotations

import pytest

from portal.settings import Settings
from portal.storage import DiskStorage, S3Storage, storage_from_settings
from tests.conftest import run
from tests.s3 import s3_client, with_s3

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40


@pytest.fixture
def disk(tmp_path):
    return DiskStorage(tmp_path / "documents")


@pytest.fixture
def s3(s3_endpoint, s3_bucket, tmp_path):
    return S3Storage(with_s3(Settings(var_dir=tmp_path), s3_endpoint, s3_bucket))


def test_it_keeps_documents_on_disk_without_a_bucket(tmp_path):
    storage = storage_from_settings(Settings(var_dir=tmp_path))
    assert isinstance(storage, DiskStorage)
    assert storage.root == tmp_path / "documents"


def test_it_uses_s3_with_a_bucket(tmp_path, s3_endpoint, s3_bucket):
    storage = storage_from_settings(with_s3(Settings(var_dir=tmp_path), s3_endpoint, s3_bucket))
    assert isinstance(storage, S3Storage)


def test_it_stores_reads_and_deletes_on_disk(disk):
    run(disk.put("documents/1/certificate", PDF, "application/pdf"))
    assert run(disk.get("documents/1/certificate")) == PDF
    run(disk.delete("documents/1/certificate"))
    with pytest.raises(FileNotFoundError):
        run(disk.get("documents/1/certificate"))
    run(disk.delete("documents/1/certificate"))  # deleting twice is fine


def test_it_keeps_every_key_inside_the_root_on_disk(disk, tmp_path):
    keys = ["../../escaped", "/etc/escaped", "..", "a/../../../escaped", "C:\\escaped"]
    for number, key in enumerate(keys):
        run(disk.put(key, f"document {number}".encode(), "text/plain"))
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(written) == len(keys)
    assert all(p.resolve().is_relative_to(disk.root.resolve()) for p in written)
    assert run(disk.get("../../escaped")) == b"document 0"
    assert run(disk.get("/etc/escaped")) == b"document 1"


def test_it_checks_that_the_disk_is_writable(disk):
    run(disk.check())
    assert disk.root.is_dir()
    assert list(disk.root.iterdir()) == []


def test_it_stores_reads_and_deletes_in_s3(s3, s3_endpoint, s3_bucket):
    run(s3.put("documents/1/certificate", PDF, "application/pdf"))
    stored = s3_client(s3_endpoint).head_object(Bucket=s3_bucket, Key="documents/1/certificate")
    assert stored["ContentType"] == "application/pdf"
    assert stored["ContentLength"] == len(PDF)
    assert run(s3.get("documents/1/certificate")) == PDF
    run(s3.delete("documents/1/certificate"))
    listing = s3_client(s3_endpoint).list_objects_v2(Bucket=s3_bucket)
    assert listing["KeyCount"] == 0


def test_it_raises_for_a_missing_object_in_s3(s3):
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError):
        run(s3.get("documents/none"))


def test_it_checks_that_the_bucket_exists(s3, s3_endpoint, tmp_path):
    from botocore.exceptions import ClientError

    run(s3.check())
    missing = S3Storage(with_s3(Settings(var_dir=tmp_path), s3_endpoint, "no-such-bucket"))
    with pytest.raises(ClientError) as error:
        run(missing.check())
    assert error.value.response["Error"]["Code"] == "404"
