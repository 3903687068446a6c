"""Admin for the knowledge base, scoped like every tenant admin; supervisors can try questions here."""

from django import forms
from django.contrib import admin
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from knowledge import services
from knowledge.models import Document, DocumentVersion, UnansweredQuestion
from tenants.admin import TenantAdmin
from tenants.context import agency_context
from tenants.models import Agency


class VersionInline(admin.TabularInline):
    model = DocumentVersion
    extra = 0
    can_delete = False
    fields = [
        "number",
        "format",
        "filename",
        "status",
        "progress_done",
        "progress_total",
        "effective_from",
        "error",
        "created_at",
    ]
    readonly_fields = fields
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False  # new versions go through the upload service (indexing, atomic replacement)

    def has_change_permission(self, request, obj=None):
        return False


class AdminAskForm(forms.Form):
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label=_("Agency"))
    question = forms.CharField(max_length=1000, label=_("Question"))
    audience = forms.ChoiceField(choices=[("public", _("Public")), ("staff", _("Staff"))], initial="public")


@admin.register(Document)
class DocumentAdmin(TenantAdmin):
    list_display = [
        "title",
        "agency",
        "audience",
        "language",
        "is_crisis",
        "is_retired",
        "updated_at",
        "missing_translations",
        "staff_page",
    ]
    list_filter = ["audience", "is_crisis", "is_retired", "language"]
    search_fields = ["title", "source_url"]
    fields = [
        "agency",
        "title",
        "translations",
        "source_url",
        "audience",
        "language",
        "tags",
        "is_crisis",
        "is_retired",
        "also_asked",
    ]
    readonly_fields = ["is_retired", "also_asked"]  # edited on the staff page, which re-indexes the chunks
    inlines = [VersionInline]

    def has_add_permission(self, request):
        return False  # documents are created with their first version on the staff knowledge page or API

    @admin.display(description=_("Staff page"))
    def staff_page(self, obj):
        url = reverse("knowledge-document", kwargs={"agency_slug": obj.agency.slug, "document_id": obj.pk})
        return format_html('<a href="{}">{}</a>', url, _("open"))

    def save_model(self, request, obj, form, change):
        # Metadata edits go through the service (keeps the chunks' audience in step).
        with agency_context(obj.agency):
            fields = {name: form.cleaned_data[name] for name in form.changed_data if name != "agency"}
            if fields:
                original = Document.objects.for_agency(obj.agency).get(pk=obj.pk)
                services.document_update(agency=obj.agency, actor=request.user, document=original, **fields)

    def get_urls(self):
        return [
            path("ask/", self.admin_site.admin_view(self.ask_view), name="knowledge_document_ask"),
            *super().get_urls(),
        ]

    def ask_view(self, request):
        """Supervisors try a question against one of their agencies and see answer, passages and scores."""
        ids = self._ids(request, self.view_roles | self.change_roles)
        if not ids:
            raise Http404
        form = AdminAskForm(request.POST or None)
        form.fields["agency"].queryset = Agency.objects.filter(pk__in=ids)
        result = None
        if request.method == "POST" and form.is_valid():
            agency = form.cleaned_data["agency"]
            with agency_context(agency):
                answer, passages = services.answer_with_passages(
                    agency=agency,
                    question=form.cleaned_data["question"],
                    audience=form.cleaned_data["audience"],
                    record_gap=False,
                )
            result = {"answer": answer, "passages": passages, "agency": agency}
        context = {
            **self.admin_site.each_context(request),
            "title": _("Try a question"),
            "form": form,
            "result": result,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/knowledge/ask.html", context)


@admin.register(UnansweredQuestion)
class UnansweredQuestionAdmin(TenantAdmin):
    list_display = ["question", "agency", "language", "audience", "top_score", "resolved", "created_at"]
    list_filter = ["resolved", "language", "audience"]
    search_fields = ["question"]
    readonly_fields = ["agency", "question", "language", "audience", "top_score", "channel", "created_at"]
    fields = [*readonly_fields, "resolved"]
    change_roles = TenantAdmin.view_roles  # supervisors may mark gaps resolved

    def has_add_permission(self, request):
        return False
