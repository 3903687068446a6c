"""The one upload check that web wizard uploads and API file answers both pass."""

import base64
import json
from pathlib import Path

import pytest

import registrations
from registrations.engine import load_definition
from registrations.services import upload_check
from registrations.services.submission import _base64_size

SPEC = load_definition(
    json.loads((Path(registrations.__file__).parent / "definitions/voter-registration.json").read_text())
)
ITEM = SPEC.field("proof_document")  # PDF, JPEG or PNG up to 5 MB
LIMIT = 5 * 1024 * 1024


def test_accepted_upload_is_sniffed_and_named_safely():
    data = b"%PDF-1.7 " + b"x" * 10
    answer, upload = upload_check(ITEM, name="../../etc/my bill?.pdf", size=len(data), read=lambda: data)
    assert upload is not None and upload.content_type == "application/pdf" and upload.data == data
    assert upload.name == "my bill_.pdf" and upload.field_id == "proof_document"
    assert answer["content_type"] == "application/pdf" and answer["size"] == len(data)


def test_oversized_upload_is_refused_unread_as_too_large():
    def read():
        raise AssertionError("an oversized upload must not be read")

    answer, upload = upload_check(ITEM, name="big.pdf", size=LIMIT + 1, read=read)
    assert upload is None
    assert answer["size"] == LIMIT + 1 and answer["content_type"] == "application/pdf"


@pytest.mark.parametrize(
    "data, code",
    [(b"MZ\x90 executable", "file_type"), (b"%PDF-" + b"0" * LIMIT, "file_size")],
)
def test_refused_upload_carries_what_the_engine_reports(data, code):
    from registrations.engine import clean_value

    answer, upload = upload_check(ITEM, name="bill.pdf", size=0, read=lambda: data)  # size understated
    assert upload is None
    _value, error = clean_value(ITEM, answer, today=None, lang="en")
    assert error is not None and error.code == code


@pytest.mark.parametrize("length", [0, 1, 2, 3, 4, 5, 1023, 1024, 1025])
def test_base64_size_is_the_decoded_size(length):
    encoded = base64.b64encode(b"a" * length).decode()
    assert _base64_size(encoded) == length
