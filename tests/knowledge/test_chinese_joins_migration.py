# ruff: noqa: RUF001 - Chinese text uses full-width punctuation
"""Migration knowledge.0014: the Chinese passages stored with a space after each sentence ("…同一天。 请在…", the
chunker's join before session 24) lose it, and their checksum follows the text, so indexing the version again
finds the same row; a Latin sentence after a Chinese one keeps its space, and other agencies' chunks are fixed too
(the migration runs across agencies)."""

import importlib

from django.db import connection

from knowledge.ingestion.chunking import checksum_text
from knowledge.models import Chunk
from knowledge.services import document_version_index
from tenants.context import agency_context

migration = importlib.import_module("knowledge.migrations.0014_chinese_sentences_joined")

FAQ = '[{"question": "垃圾哪天收集？", "answer": "生活垃圾每周收集一次，固定在同一天。请在收集日早上6点前把垃圾桶放到路边。"}]'


def test_old_chinese_chunks_lose_the_space_and_keep_a_matching_checksum(agency_a, agency_b, publish):
    stored = {}
    for agency in (agency_a, agency_b):
        _document, version = publish(agency, title="垃圾", content=FAQ, format="faq_json", language="zh-hans")
        with agency_context(agency):
            chunk = Chunk.objects.get(version=version)
            old = chunk.text.replace("同一天。请在", "同一天。 请在")
            Chunk.objects.filter(pk=chunk.pk).update(text=old, checksum=checksum_text(chunk.heading_path, old))
        stored[agency] = (chunk.pk, chunk.text, version)

    migration.join_sentences(None, connection.schema_editor())

    for agency, (chunk_id, fixed, version) in stored.items():
        with agency_context(agency):
            chunk = Chunk.objects.get(pk=chunk_id)
            assert chunk.text == fixed and "。 " not in chunk.text
            assert chunk.checksum == checksum_text(chunk.heading_path, chunk.text)
            document_version_index(agency=agency, version_id=version.pk)  # indexing again: the same single row
            assert list(Chunk.objects.filter(version=version).values_list("pk", flat=True)) == [chunk_id]


def test_a_latin_sentence_after_a_chinese_one_keeps_its_space():
    assert migration.joined("请致电 311。 Call 311.") == "请致电 311。 Call 311."
    assert migration.joined("第一句。 第二句！ 第三句？") == "第一句。第二句！第三句？"
