"""Pages under /a/<slug>/ (the agency is resolved by the middleware)."""

from django.urls import path

from registrations.views import editor, questions, signed_links, staff, wizard

urlpatterns = [
    # citizens
    path("register/", wizard.register_index, name="registration-index"),
    path("register/resume/<str:token>/", signed_links.register_resume, name="registration-resume"),
    path("register/respond/<str:token>/", signed_links.register_respond, name="registration-respond"),
    path("register/<slug:form_slug>/", wizard.register_form, name="registration-form"),
    path("register/<slug:form_slug>/step/<slug:step_id>/", wizard.register_step, name="registration-step"),
    path("register/<slug:form_slug>/review/", wizard.register_review, name="registration-review"),
    path("register/<slug:form_slug>/done/", wizard.register_done, name="registration-done"),
    path("register/<slug:form_slug>/save/", wizard.register_save, name="registration-save"),
    # staff
    path("staff/registrations/", staff.queue, name="registration-staff-queue"),
    path("staff/registrations/export.csv", staff.export_csv, name="registration-staff-export"),
    path("staff/registrations/forms/", editor.form_list, name="registration-forms"),
    path("staff/registrations/forms/new/", editor.form_new, name="registration-form-new"),
    path("staff/registrations/forms/<slug:form_slug>/", editor.form_edit, name="registration-form-edit"),
    path("staff/registrations/forms/<slug:form_slug>/preview/", editor.form_preview, name="registration-form-preview"),
    path(
        "staff/registrations/forms/<slug:form_slug>/questions/",
        questions.form_questions,
        name="registration-form-questions",
    ),
    path("staff/registrations/<str:reference>/", staff.detail, name="registration-staff-detail"),
    path("staff/registrations/<str:reference>/share/", staff.share, name="registration-staff-share"),
    path("staff/registrations/<str:reference>/unshare/", staff.unshare, name="registration-staff-unshare"),
    path(
        "staff/registrations/<str:reference>/files/<str:file_id>/",
        staff.file_download,
        name="registration-staff-file",
    ),
]
