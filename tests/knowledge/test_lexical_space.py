"""The lexical list of a question in the multilingual encoder's space ranks only that space's rows (issue 19).

It adds a bonus to the dense candidates; it used to rank every live row of the agency, so in a mostly-English agency a
German question's list was an HNSW scan at a beam of 800 over every row (the one cost an English question does not
have), and English rows entered the fusion at the dense lists' floor plus their bonus. Quality and time:
bench/knowledge/lexical_mixed.py."""

import pytest
from django.db import connection, transaction

from knowledge import indexes, retrieval
from knowledge.models import Chunk
from knowledge.retrieval import vectors
from tenants.context import agency_context

RECYCLING_DE = "Der Recyclinghof an der Hafenstraße ist montags bis freitags von 8 bis 18 Uhr geöffnet."
ID_CARD_DE = "Einen neuen Personalausweis beantragen Sie persönlich im Bürgeramt. Die Gebühr beträgt 37 Euro."
RECYCLING_EN = "The Recyclinghof (recycling center) on Hafenstraße takes electronics. Recycling bins are free."
PARKS_EN = "Parks are open from dawn to dusk. Dogs must be on a leash at all times."
QUESTION = "Wann hat der Recyclinghof an der Hafenstraße geöffnet?"


@pytest.fixture
def mixed(agency_a, publish, dense):
    for title, content, language in (
        ("Recyclinghof", RECYCLING_DE, "de"),
        ("Personalausweis", ID_CARD_DE, "de"),
        ("Recycling center", RECYCLING_EN, "en"),
        ("Parks", PARKS_EN, "en"),
    ):
        publish(agency_a, title=title, content=content, language=language)
    with agency_context(agency_a):
        return dict(Chunk.objects.for_agency(agency_a).filter(is_live=True).values_list("id", "language"))


def _lexical_list(agency, query):
    plan = retrieval.search_plan(agency=agency, query=query, language="de")
    return plan, retrieval.search_gather(agency=agency, plan=plan).lists.get("lexical")


def test_a_german_questions_lexical_list_holds_only_german_rows(agency_a, mixed):
    with agency_context(agency_a):
        plan, found = _lexical_list(agency_a, QUESTION)
        passages = retrieval.search(agency=agency_a, query=QUESTION, language="de")
    assert plan.multilingual_space and plan.language == "de"
    assert found and {mixed[chunk_id] for chunk_id in found} == {"de"}
    # The English passage sharing the question's words may still come through full text, without a lexical bonus.
    english = [p for p in passages if p.language == "en"]
    assert passages[0].title == "Recyclinghof"
    assert all("lexical" not in p.signals for p in english)


@pytest.mark.django_db(transaction=True, databases=["default", "owner"])  # the owner builds the indexes
def test_the_agencys_index_is_read_with_a_wider_beam_when_the_spaces_rows_are_many(
    agency_a, mixed, settings, monkeypatch
):
    settings.KNOWLEDGE_HNSW_MIN_CHUNKS = 2  # "large": the agency's partial HNSW indexes exist
    with agency_context(agency_a):
        assert any("lexcos" in name for name in indexes.agency_indexes_ensure(agency=agency_a)["created"])
        try:
            counts = retrieval.pipeline.language_counts(agency_a, None)
            assert vectors.lexical_scan(counts, ["de"], indexed=True) == ("exact", 0)  # two German rows: exact
            monkeypatch.setattr(vectors, "LEXICAL_EXACT_MAX", 1)
            assert vectors.lexical_scan(counts, ["de"], indexed=True) == ("exact", 0)  # 800 x 4 / 2: past 1,000
            monkeypatch.setattr(vectors, "LEXICAL_EF_SEARCH", 400)
            assert vectors.lexical_scan(counts, ["de"], indexed=True) == ("hnsw", 800)  # 400 x 4 / 2
            with transaction.atomic(), connection.cursor() as cursor:
                # The plan of a large agency on a small table: its HNSW index (the planner would sort 4 rows instead).
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("SET LOCAL enable_sort = off")
                _plan, found = _lexical_list(agency_a, QUESTION)
            assert found and {mixed[chunk_id] for chunk_id in found} == {"de"}
        finally:
            indexes.agency_indexes_ensure(agency=agency_a, force=False)


def test_where_the_lexical_list_stands_in_for_the_dense_one_it_still_reads_every_row(agency_a, publish, settings):
    # No dense model: the lexical list is the question's vector evidence, in any language.
    publish(agency_a, title="Recycling center", content=RECYCLING_EN, language="en")
    with agency_context(agency_a):
        plan, found = _lexical_list(agency_a, QUESTION)
    assert plan.weights["lexical"] == 1.0 and found
    with agency_context(agency_a):
        assert set(Chunk.objects.for_agency(agency_a).filter(id__in=found).values_list("language", flat=True)) == {"en"}


def test_the_scan_follows_how_many_rows_the_space_has():
    scan = vectors.lexical_scan
    assert scan({"en": 20000, "de": 644}, ["de"], indexed=True) == ("exact", 0)  # lf-big: 644 German rows
    assert scan({"de": 20000}, ["de"], indexed=True) == ("all", 800)  # every row is the space's: no filter
    assert scan({"en": 5000, "de": 20000}, ["de"], indexed=True) == ("hnsw", 1000)  # 800 x 25,000 / 20,000
    assert scan({"en": 20000, "de": 5000}, ["de"], indexed=True) == ("exact", 0)  # a beam past pgvector's 1,000
    assert scan({"en": 100, "de": 3000}, ["de"], indexed=False) == ("exact", 0)  # no index: exact
    assert scan({"en": 100}, ["de"], indexed=False) == ("none", 0)
    assert scan({"en": 100, "de": 3}, None, indexed=False) == ("all", 800)
