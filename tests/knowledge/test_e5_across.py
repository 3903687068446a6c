"""e5's second look across languages (issue 19, session 27): a question nothing answers in its own language, and
that the shared space (USE-m3) does not answer either, is compared with the agency's first-language passages in
multilingual-e5-small's space (`knowledge.retrieval.e5_across`). USE-m3 does not know Vietnamese at all, and ranks
citizens' Korean questions' right section lower; e5 was trained on both (bench/knowledge/e5_across_lab.py)."""

import pytest
from django.utils import translation

from knowledge import services, shared_space
from knowledge.embedders import e5_build
from knowledge.models import Chunk
from tenants.context import agency_context

PARK_HOURS_VI = ("Công viên mở cửa tới mấy giờ tối?", "Park hours")
PLAYGROUND_KO = ("공원 놀이터 몇 시에 닫아요?", "Park hours")
SIDEWALK_VI = (
    "Vỉa hè trước nhà bị nứt và trồi lên mấy phân, thành phố có sửa giùm không hay mình tự trả tiền?",
    "Sidewalks and curbs",
)
WHEEL_KO = ("도로 구멍 때문에 타이어 휠 나갔어요 ㅠ 시에서 보상 받을 수 있나요?", "Damage to your car")
PASSPORT = "Où est-ce que je renouvelle mon passeport?"


@pytest.fixture
def e5(springfield_english, settings):
    """Springfield's English pages with their e5 vectors (the model built first if this machine has not yet)."""
    e5_build.build()
    settings.KNOWLEDGE_E5_ACROSS = True
    with agency_context(springfield_english):
        shared_space.e5_vectors_fill(agency=springfield_english)
    return springfield_english


def _ask(agency, question):
    with agency_context(agency), translation.override("en"):
        return services.answer_question(agency=agency, question=question, record_gap=False)


def _heading(agency, chunk_id):
    with agency_context(agency):
        return Chunk.objects.for_agency(agency).get(pk=chunk_id).heading_path


def _answered_from(agency, answer):
    """The heading of the passage a cross-language answer was given from."""
    return [_heading(agency, r["chunk_id"]) for r in answer.retrieved if r.get("crosslingual")]


@pytest.mark.parametrize(("question", "heading"), [PARK_HOURS_VI, PLAYGROUND_KO])
def test_a_vietnamese_and_a_korean_question_are_answered_from_their_english_section(e5, settings, question, heading):
    answer = _ask(e5, question)
    assert answer.grounded, answer.text
    assert _answered_from(e5, answer)[0].endswith(heading)
    # Without the second look (the shared space alone): refused.
    settings.KNOWLEDGE_E5_ACROSS = False
    assert not _ask(e5, question).grounded


@pytest.mark.parametrize(("question", "heading"), [SIDEWALK_VI, WHEEL_KO])
def test_a_vietnamese_and_a_korean_question_are_offered_their_english_section(e5, settings, question, heading):
    answer = _ask(e5, question)
    assert not answer.grounded, answer.text
    offered = [_heading(e5, item["chunk_id"]) for item in answer.related]
    assert any(path.endswith(heading) for path in offered), offered
    assert len(offered) <= 3
    settings.KNOWLEDGE_E5_ACROSS = False
    offered = [_heading(e5, item["chunk_id"]) for item in _ask(e5, question).related]
    assert not any(path.endswith(heading) for path in offered), offered


def test_a_question_nothing_answers_is_refused(e5):
    answer = _ask(e5, PASSPORT)
    assert not answer.grounded, answer.text


def test_english_questions_and_a_switched_off_model_take_no_second_look(e5, settings, monkeypatch):
    from knowledge.retrieval import e5_across

    looked = []
    original = e5_across.e5_embedder
    monkeypatch.setattr(e5_across, "e5_embedder", lambda: looked.append(1) or original())
    assert not _ask(e5, "Can I renew my passport here?").grounded  # the pages' own language: the shared space's
    assert looked == []
    settings.KNOWLEDGE_E5_ACROSS = False
    assert e5_across.e5_candidates(agency=e5, query=PARK_HOURS_VI[0], language="vi") == []


def test_another_agencys_passages_are_never_candidates(e5, agency_b, publish):
    """Agency B's own English park page, with its e5 vectors: A's question is compared with A's passages only."""
    from knowledge.demo import PARKS_HTML
    from knowledge.retrieval import e5_across

    publish(agency_b, title="Parks", content=PARKS_HTML, language="en", format="html")
    with agency_context(agency_b):
        shared_space.shared_vectors_fill(agency=agency_b)
        b_ids = set(Chunk.objects.for_agency(agency_b).values_list("pk", flat=True))
        assert Chunk.objects.for_agency(agency_b).filter(e5_embedding__isnull=False).exists()
    with agency_context(e5):
        found = e5_across.e5_candidates(agency=e5, query=PARK_HOURS_VI[0], language="vi")
    assert found and not {p.chunk_id for p in found} & b_ids


def test_e5_vectors_are_filled_for_first_language_chunks_only(e5, publish):
    from knowledge.demo import PARKS_HTML

    publish(e5, title="Parques", content=PARKS_HTML, language="es", format="html")
    with agency_context(e5):
        shared_space.shared_vectors_fill(agency=e5)
        rows = Chunk.objects.for_agency(e5).filter(is_live=True)
        assert not rows.filter(language="en", e5_embedding__isnull=True).exists()
        assert not rows.filter(language="es", e5_embedding__isnull=False).exists()
        assert not shared_space.shared_vectors_missing(agency=e5)
        assert shared_space.e5_vectors_fill(agency=e5) == 0
        # an English passage without its e5 vector (an agency indexed before the upgrade): the sweep's check sees it
        rows.filter(pk=rows.filter(language="en").first().pk).update(e5_embedding=None)
        assert shared_space.shared_vectors_missing(agency=e5)
        assert shared_space.shared_vectors_fill(agency=e5) == 0  # no shared-space vector was missing …
        assert not rows.filter(language="en", e5_embedding__isnull=True).exists()  # … the e5 one is filled


def test_the_web_process_loads_e5_before_it_serves(monkeypatch):
    """Loaded at the first question across languages instead, that citizen waited ~1 s more."""
    import uvicorn

    from chat.engine import semantic
    from knowledge.embedders import e5 as e5_module
    from portal import serve

    order = []
    monkeypatch.setattr(semantic, "warm_up", lambda: None)
    monkeypatch.setattr(e5_module, "e5_embedder", lambda: order.append("e5"))
    monkeypatch.setattr(serve, "listening_socket", lambda host, port: order.append("listen"))
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: order.append("serve"))
    for name in ("collect", "freeze", "set_threshold"):
        monkeypatch.setattr(serve.gc, name, lambda *args: None)
    serve.main(["--port", "8999"])
    assert order == ["e5", "listen", "serve"]


def test_the_python_tokenizer_gives_the_ids_the_tokenizers_library_does():
    """e5's tokenizer is plain Python (`e5_tokenizer`, ~90 MB instead of ~250 MB per process): the same ids as the
    `tokenizers` Unigram the model was measured with, unknown characters and their runs included."""
    from tokenizers import Tokenizer

    from knowledge.embedders.e5_tokenizer import UnigramTokenizer

    path = e5_build.build() / "tokenizer.json"
    ours, theirs = UnigramTokenizer(path), Tokenizer.from_file(str(path))
    texts = [
        "query: " + PARK_HOURS_VI[0],
        "query: " + WHEEL_KO[0],
        "query: كم من الوقت يستغرق إصلاح حفرة؟",
        "query: 节假日收垃圾吗\uff1f",
        "passage: Parks and Forestry \u203a Park hours\nCity parks are open every day from 6:00 a.m. to 10:00 p.m.",
        "query: Müllabfuhr am Pfingstmontag? ☃☃ 🙂\u200b\ttab",
        "query: ",
    ]
    for text in texts:
        assert ours.encode(text) == theirs.encode(text, add_special_tokens=False).ids, text
