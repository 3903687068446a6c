"""Speed-only changes to retrieval give the same results as the straightforward code they replace."""

import random

from django.db import transaction

from knowledge import retrieval, services
from knowledge.embedders import LexicalEmbedder
from knowledge.models import Chunk
from knowledge.retrieval import confidence
from knowledge.text import tokenize
from tenants.context import agency_context

WORDS = [
    "pothole",
    "potholes",
    "pot",
    "hole",
    "holes",
    "street",
    "streets",
    "trash",
    "collection",
    "collected",
    "collecting",
    "garbage",
    "müllabfuhr",
    "müll",
    "abfuhr",
    "recycling",
    "recycle",
    "recycled",
    "permit",
    "permits",
    "permitting",
    "renewal",
    "renew",
    "renewing",
    "refund",
    "refunds",
    "deduction",
    "deductions",
    "deductible",
    "tax",
    "taxes",
    "taxation",
    "payment",
    "payments",
    "pay",
    "paying",
    "covid",
    "coronavirus",
    "virus",
    "vaccine",
    "vaccines",
    "vaccination",
    "dose",
    "doses",
    "a",
    "an",
    "of",
    "to",
    "in",
    "2024",
    "x1",
    "ab",
    "abc",
    "abcd",
    "abcde",
    "abcdef",
]


def test_passage_tokens_match_equals_term_match():
    rng = random.Random(4)
    for _ in range(400):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 40)))
        tokens = set(tokenize(text))
        index = confidence._PassageTokens(text)
        for term in {rng.choice(WORDS) for _ in range(12)} | {"pothol", "collectio", "vaccinat", "müllab"}:
            assert index.match(term) == confidence._term_match(term, tokens), (term, text)


def test_exact_dense_list_equals_two_scans(agency_a, settings):
    """The one-statement exact scan returns the same ids and scores as the per-column lists."""
    lexical = LexicalEmbedder(dim=384)  # any unit vectors will do: the SQL is what is compared
    texts = [
        f"passage {i} about {random.Random(i).choice(WORDS)} and {random.Random(i + 1).choice(WORDS)}"
        for i in range(60)
    ]
    with agency_context(agency_a):
        document = services.document_create(agency=agency_a, actor=None, title="Doc", content="x", queue=False)
        version = document.versions.get()
        Chunk.objects.bulk_create(
            [
                Chunk(
                    agency=agency_a,
                    document=document,
                    version=version,
                    order=i,
                    heading_path=f"Heading {i}",
                    text=text,
                    language="en",
                    checksum=f"c{i}",
                    embedder="test",
                    embedding=lexical.embed(text),
                    heading_embedding=None if i % 5 == 0 else lexical.embed(f"Heading {i} {WORDS[i % len(WORDS)]}"),
                    is_live=True,
                    audience="public" if i % 4 else "staff",
                )
                for i, text in enumerate(texts)
            ]
        )
    query = lexical.embed("passage about permits and taxes")
    for audience in ("public", "staff"):
        for depth in (5, 20, 100):
            with transaction.atomic():
                two = retrieval.dense_pairs(
                    agency=agency_a, vector=query, audience=audience, depth=depth, embedder_key="test"
                ).best()
                one = retrieval.dense_pairs(
                    agency=agency_a, vector=query, audience=audience, depth=depth, embedder_key="test", exact=True
                ).best()
            assert two.keys() == one.keys()
            assert all(abs(two[key] - one[key]) < 1e-9 for key in two)
