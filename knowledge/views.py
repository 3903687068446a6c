"""Pages: the staff knowledge base (/a/<slug>/staff/knowledge/) and the citizens' "ask a question" page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.danger import danger_notice, in_danger
from core.errors import error_messages
from core.language import normalize as normalize_language
from knowledge import selectors, services
from knowledge.forms import AlsoAskedForm, AskForm, DocumentForm, TitleTranslationsForm, TryQuestionForm, VersionForm
from tenants.permissions import agency_role_required
from tenants.selectors import STAFF_ROLES, user_has_role


def _can_edit(request) -> bool:
    return user_has_role(user=request.user, agency=request.agency, roles=selectors.KNOWLEDGE_EDIT_ROLES)


def _prefill(params) -> dict:
    return {name: params[name][:5000] for name in ("title", "content") if params.get(name)}


def _megabytes(size: int) -> float | int:
    """20 (not "20,0" on a German page) for a whole number of MB, else one decimal."""
    value = round(size / 1048576, 1)
    return int(value) if float(value).is_integer() else value


@agency_role_required(STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def knowledge_home(request, agency_slug: str):
    agency = request.agency
    can_edit = _can_edit(request)
    # "Write an answer" from the analytics page's unanswered questions opens this form filled in.
    upload_form = DocumentForm(initial=_prefill(request.GET))
    try_form = TryQuestionForm()
    trial = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "upload":
            if not can_edit:
                raise Http404
            upload_form = DocumentForm(request.POST, request.FILES)
            if upload_form.is_valid():
                try:
                    document = services.document_create(agency=agency, actor=request.user, **upload_form.cleaned_data)
                except ValidationError as exc:
                    for message in error_messages(exc):
                        upload_form.add_error(None, message)
                else:
                    messages.success(request, _("Uploaded. It answers questions as soon as it is indexed."))
                    return redirect("knowledge-document", agency_slug=agency.slug, document_id=document.pk)
        elif action == "adopt_gap":
            if not can_edit:
                raise Http404
            gap_id = request.POST.get("gap", "")
            gap = (
                selectors.unanswered_questions(agency=agency).filter(pk=int(gap_id) if gap_id.isdigit() else 0).first()
            )
            if gap is None:
                raise Http404
            try:
                document = services.unanswered_question_adopt(agency=agency, actor=request.user, gap=gap)
            except ValidationError as exc:
                messages.error(request, " ".join(error_messages(exc)))
            else:
                messages.success(
                    request,
                    _("Added to “%(title)s”: search finds it for this question now.") % {"title": document.title},
                )
            return redirect("knowledge-home", agency_slug=agency.slug)
        elif action == "try":
            try_form = TryQuestionForm(request.POST)
            if try_form.is_valid():
                answer, passages = services.answer_with_passages(
                    agency=agency,
                    question=try_form.cleaned_data["question"],
                    audience=try_form.cleaned_data["audience"],
                    record_gap=False,
                )
                trial = {"answer": answer, "passages": passages}
    documents = [(document, selectors.latest_version(document)) for document in selectors.documents_list(agency=agency)]
    return render(
        request,
        "knowledge/staff_home.html",
        {
            "documents": documents,
            "stats": selectors.knowledge_stats(agency=agency),
            "unanswered": selectors.unanswered_questions(agency=agency)[:20],
            "upload_form": upload_form,
            "try_form": try_form,
            "trial": trial,
            "can_edit": can_edit,
            "max_upload_mb": _megabytes(services.max_upload_bytes()),
        },
        status=400 if request.method == "POST" and trial is None and upload_form.errors else 200,
    )


def _titles_save(request, form: TitleTranslationsForm, document) -> bool:
    """The document's title in other languages from the page's boxes (audited; the directory's search documents
    carry public titles in every language, so they are rebuilt)."""
    from portal.directory import directory_index_clear
    from tenants.translation_services import translations_save

    if not form.is_valid():
        return False
    try:
        translations_save(
            agency=request.agency,
            actor=request.user,
            obj=document,
            translations=form.cleaned_data["translations"] or {},
        )
    except ValidationError as exc:
        for message in error_messages(exc):
            form.add_error("translations", message)
        return False
    transaction.on_commit(directory_index_clear)
    return True


@agency_role_required(STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def knowledge_document(request, agency_slug: str, document_id: int):
    agency = request.agency
    document = selectors.document_get(agency=agency, document_id=document_id)
    if document is None:
        raise Http404
    can_edit = _can_edit(request)
    version_form = VersionForm()
    also_form = AlsoAskedForm(initial={"also_asked": document.also_asked})
    titles_form = TitleTranslationsForm(agency=agency, document=document)
    if request.method == "POST":
        if not can_edit:
            raise Http404
        action = request.POST.get("action")
        if action == "retire":
            services.document_retire(agency=agency, actor=request.user, document=document)
            messages.success(request, _("Retired: this document no longer answers questions."))
            return redirect("knowledge-document", agency_slug=agency.slug, document_id=document.pk)
        if action == "delete":
            services.document_delete(agency=agency, actor=request.user, document=document)
            messages.success(request, _("Deleted."))
            return redirect("knowledge-home", agency_slug=agency.slug)
        if action == "also_asked":
            also_form = AlsoAskedForm(request.POST)
            if also_form.is_valid():
                try:
                    services.document_also_asked_set(
                        agency=agency, actor=request.user, document=document, text=also_form.cleaned_data["also_asked"]
                    )
                except ValidationError as exc:
                    for message in error_messages(exc):
                        also_form.add_error("also_asked", message)
                else:
                    messages.success(request, _("Saved: search uses these phrasings now."))
                    return redirect("knowledge-document", agency_slug=agency.slug, document_id=document.pk)
        if action == "translations":
            titles_form = TitleTranslationsForm(request.POST, agency=agency, document=document)
            if _titles_save(request, titles_form, document):
                messages.success(request, _("Saved: citations name this document in these languages now."))
                return redirect("knowledge-document", agency_slug=agency.slug, document_id=document.pk)
        if action == "new_version":
            version_form = VersionForm(request.POST, request.FILES)
            if version_form.is_valid():
                try:
                    services.document_version_create(
                        agency=agency, actor=request.user, document=document, **version_form.cleaned_data
                    )
                except ValidationError as exc:
                    for message in error_messages(exc):
                        version_form.add_error(None, message)
                else:
                    messages.success(request, _("New version uploaded; the current one answers until it is indexed."))
                    return redirect("knowledge-document", agency_slug=agency.slug, document_id=document.pk)
    versions = list(selectors.versions_of(agency=agency, document=document))
    shown = None
    if request.GET.get("version"):
        shown = selectors.version_get(agency=agency, version_id=request.GET["version"], document=document)
    if shown is None:
        shown = next((v for v in versions if v.status == "active"), versions[0] if versions else None)
    chunks = list(selectors.chunks_of(agency=agency, version=shown)[:200]) if shown else []
    return render(
        request,
        "knowledge/document.html",
        {
            "document": document,
            "versions": versions,
            "shown": shown,
            "chunks": chunks,
            "version_form": version_form,
            "also_form": also_form,
            "titles_form": titles_form,
            "can_edit": can_edit,
            "max_upload_mb": _megabytes(services.max_upload_bytes()),
        },
        status=400 if version_form.errors or also_form.errors or titles_form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def passage(request, agency_slug: str, chunk_id: int):
    """The whole passage an answer was trimmed from, one click from the answer (ask page and chat)."""
    chunk = selectors.public_passage_get(agency=request.agency, chunk_id=chunk_id)
    if chunk is None:
        raise Http404
    # Reached from an answer or a "did you mean" suggestion: the note the answer would carry when the passage is
    # not in the language asked in (`lang`, the answer's), else the page's.
    asked = normalize_language(request.GET.get("lang", "")[:16]) or get_language() or ""
    note = services.passage_language_note(agency=request.agency, passage_language=chunk.language, language=asked)
    return render(request, "knowledge/passage.html", {"chunk": chunk, "note": note})


def ask(request, agency_slug: str):
    """Citizens ask the agency a question and get a cited answer (or an offer of a human)."""
    form = AskForm(request.POST or None)
    answer = report = None
    danger = ""
    if request.method == "POST" and form.is_valid():
        question = form.cleaned_data["question"]
        danger = danger_notice() if in_danger(question) else ""  # someone hurt, a fire told now: call 911 first
        answer = services.answer_question(agency=request.agency, question=question, audience="public")
        # A problem told ("我家门口的路灯坏了") is offered the agency's report form for it, above the answer.
        from frontdoor.ask import reported_service  # the catalogue and directory the front door reads

        report = reported_service(agency=request.agency, question=question, language=get_language() or "")
    return render(
        request,
        "knowledge/ask.html",
        {"form": form, "answer": answer, "report": report, "danger": danger},
        status=400 if form.errors else 200,
    )
