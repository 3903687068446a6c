import pytest

from knowledge import services, shared_space
from knowledge.demo import PARKS_HTML, STREET_REPAIRS
from tenants.context import agency_context


@pytest.fixture(autouse=True)
def _lexical_embedder(settings):
    """Most knowledge tests do not test the dense model: use lexical + full text (fast)."""
    settings.KNOWLEDGE_EMBEDDER = "none"
    settings.LLM_BASE_URL = None
    settings.LLM_MODEL = None


@pytest.fixture
def dense(settings):
    """The dense models `make run` uses: MiniLM for English, the bundled multilingual encoder (USE-m3) for the rest."""
    settings.KNOWLEDGE_EMBEDDER = "minilm"
    settings.KNOWLEDGE_MULTILINGUAL_EMBEDDER = "use"
    settings.KNOWLEDGE_DENSE_LANGUAGES = None


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """`publish(agency, title=…, content=…, **fields)` creates a document and indexes it synchronously."""

    def make(agency, *, actor=None, **fields):
        with agency_context(agency):
            with django_capture_on_commit_callbacks(execute=False):
                document = services.document_create(agency=agency, actor=actor, **fields)
            version = document.versions.get()
            services.document_version_index(agency=agency, version_id=version.pk)
            version.refresh_from_db()
            return document, version

    return make


@pytest.fixture
def springfield_english(agency_a, publish, dense):
    """Springfield's English parks and street-repair pages with their shared-space vectors (cross-language tests)."""
    publish(agency_a, title="Parks and Forestry", content=PARKS_HTML, language="en", format="html")
    publish(agency_a, title="Street repairs", content=STREET_REPAIRS, language="en", format="markdown")
    with agency_context(agency_a):
        shared_space.shared_vectors_fill(agency=agency_a)
    return agency_a
