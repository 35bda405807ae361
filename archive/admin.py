"""Admin curation: articles, sources, places, and the raw captures (read-only evidence)."""
from __future__ import annotations

import re

from django.contrib import admin, messages
from django.db import models
from django.db.models import Count
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop, ngettext

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path

from archive import audit, curation, takedown
from archive.exporting import iter_jsonl, write_warc
from archive.ingest import reasons
from archive.ingest.report import describe, summary
from archive.ingest.run import ImportRun, import_status
from archive.display import place_name
from archive.ingest.read import decode
from archive.ingest.store import raw_path
from archive.models import (
    COUNTRIES,
    EDITABLE_FIELDS,
    Article,
    ArticleChange,
    AuditEntry,
    BlockedItem,
    Copy,
    PartnershipEvent,
    Place,
    RawCapture,
    Source,
    Story,
    Takedown,
)

admin.site.site_header = gettext_lazy("Vietnam–Korea Cooperation News Archive")
admin.site.site_title = gettext_lazy("Archive admin")
admin.site.index_title = gettext_lazy("Curation")
# The model list beside every page took a quarter of a 1,280-px screen from the article
# list; the breadcrumbs and the admin index already lead everywhere.
admin.site.enable_nav_sidebar = False
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}
# Reasons that archive.curation gives in English, translated where the admin shows them.
CURATION_REASONS = [gettext_noop("an article's only copy cannot be split out")]
# Django 5.2's admin messages that its Vietnamese catalog leaves in English; this project's
# catalogs (LOCALE_PATHS come first) fill the gaps for every interface language.
DJANGO_ADMIN_GAPS = [
    gettext_noop("Skip to main content"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("Select all objects on this page for an action"),
    gettext_noop("Select this object for an action - {}"),
]

_admin_index = admin.site.index


def _index_with_review_queue(request, extra_context=None):
    """The admin index, with the editors' queue on top: how many articles need review."""
    queue = Article.objects.filter(needs_review=True).exclude(status=Article.Status.MERGED)
    return _admin_index(request, {"review_count": queue.count(), **(extra_context or {})})


admin.site.index = _index_with_review_queue


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    # Empty files are accepted here so that the report names them with their reason.
    files = MultipleFileField(allow_empty_file=True, label=gettext_lazy("Files"),
                           help_text=gettext_lazy("One or more .txt, .html, .zip, .warc or .warc.gz files."))


class TakedownForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
                             help_text=gettext_lazy("Why: kept in the audit trail with your name and the time."))
    block_url = forms.BooleanField(required=False,
                                   label=gettext_lazy("Also refuse later imports from the article's URLs"))


def _formfield(field, **kwargs):
    return field.formfield(**{**URL_FIELDS.get(type(field), {}), **kwargs})


class ArticleForm(forms.ModelForm):
    # Stored as a JSON list, edited as the two choices it can hold.
    countries = forms.MultipleChoiceField(choices=COUNTRIES, required=False, widget=forms.CheckboxSelectMultiple,
                                          label=gettext_lazy("countries"))

    class Meta:
        model = Article
        fields = "__all__"
        formfield_callback = _formfield
        widgets = {"title": forms.TextInput(attrs={"class": "vTextField", "style": "width: min(60rem, 100%)"})}

    def clean_language(self):
        code = (self.cleaned_data.get("language") or "").strip().lower()
        if not re.fullmatch(r"[a-z]{2}", code):
            raise forms.ValidationError("An ISO 639-1 code of two letters: vi, ko, fr, en, ms, ja…")
        return code


class ReviewFilter(admin.SimpleListFilter):
    """The editors' queue: articles the pipeline was unsure about, by reason. They are
    published all the same; the filter only finds them."""

    title = gettext_lazy("needs review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        reasons = {}
        for row in Article.objects.filter(needs_review=True).values_list("review_reasons", flat=True):
            for reason in row or []:
                reasons[reason] = reasons.get(reason, 0) + 1
        return [("yes", _("needs review (any reason)")), ("no", _("reviewed or sure"))] + [
            (reason, f"{_(reason)} ({n})") for reason, n in sorted(reasons.items())]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "yes":
            return queryset.filter(needs_review=True)
        if value == "no":
            return queryset.filter(needs_review=False)
        if value:
            # JSON containment is not on every database: the reasons are few, match in Python.
            ids = [pk for pk, reasons in queryset.filter(needs_review=True).values_list("pk", "review_reasons")
                   if value in (reasons or [])]
            return queryset.filter(pk__in=ids)
        return queryset


class PlaceFilter(admin.SimpleListFilter):
    """The places that articles are about, found by typing (the gazetteer is too long to list)."""

    title = gettext_lazy("place")
    parameter_name = "place"
    template = "admin/archive/article/place_filter.html"

    def lookups(self, request, model_admin):
        places = Place.objects.filter(articles__isnull=False).annotate(n=Count("articles")).order_by("name")
        return [(p.slug, f"{place_name(p)} ({p.n})") for p in places.distinct()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(places__slug=self.value())
        return queryset

    def choices(self, changelist):
        yield from super().choices(changelist)
        # The template's form keeps the other filters of the list as hidden fields.
        self.other_params = [(k, v) for k, values in changelist.filter_params.items()
                             if k != self.parameter_name for v in values]


class CopyInline(admin.TabularInline):
    model = Copy
    extra = 0
    can_delete = False
    fields = ("source_url", "site", "captured_at", "imported_at", "raw_link", "title", "published", "date_precision",
              "date_basis")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("raw capture"))
    def raw_link(self, obj: Copy):
        return format_html('<a href="../../../rawcapture/{}/change/">{}</a>', obj.raw_id, obj.raw.sha256[:12])


class HistoryInline(admin.TabularInline):
    model = ArticleChange
    extra = 0
    can_delete = False
    fields = ("at", "user", "action", "changes")
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("history")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    formfield_overrides = URL_FIELDS
    list_display = ("id", "short_title", "language", "published", "source", "status", "n_copies", "review")
    list_display_links = ("id", "short_title")
    list_filter = (ReviewFilter, "status", "language", PlaceFilter, "source", "date_precision", "title_derived")
    search_fields = ("title", "body")
    date_hierarchy = "published"
    filter_horizontal = ("places",)
    readonly_fields = ("created", "updated", "edited_fields", "confirmed_places", "rejected_places", "merged_into",
                       "review_reasons", "date_basis", "site", "site_name")
    inlines = [CopyInline, HistoryInline]
    actions = ["publish", "hide", "make_draft", "merge_selected", "reextract", "confirm_places", "take_down"]
    fieldsets = (
        (None, {"fields": ("title", "title_derived", "status", "merged_into")}),
        (gettext_lazy("Review"), {"fields": ("needs_review", "review_reasons"),
                                  "description": gettext_lazy("Untick once checked: the article stays published either way.")}),
        (gettext_lazy("Metadata"), {"fields": ("language", "published", "date_precision", "date_basis", "source",
                                               "site", "site_name", "source_url", "places", "countries")}),
        (gettext_lazy("Text"), {"fields": ("body",)}),
        (gettext_lazy("Curation"), {"fields": ("edited_fields", "confirmed_places", "rejected_places", "created", "updated")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source").annotate(copy_count=Count("copies"))

    def get_urls(self):
        upload = path("upload/", self.admin_site.admin_view(self.upload_view), name="archive_article_upload")
        export = path("export/", self.admin_site.admin_view(self.export_view), name="archive_article_export")
        return [upload, export] + super().get_urls()

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status == Article.Status.TAKEN_DOWN:
            return [f.name for f in Article._meta.fields] + ["places"]
        return super().get_readonly_fields(request, obj)

    def export_view(self, request):
        """The published archive as JSON Lines, the same as `manage.py export`."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        audit.record("export", request=request, summary="jsonl export (admin download)")
        response = StreamingHttpResponse(iter_jsonl(), content_type="application/x-ndjson; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="archive-export.jsonl"'
        return response

    @admin.action(description=gettext_lazy("Take down selected articles (with a reason)…"), permissions=["change"])
    def take_down(self, request, queryset):
        articles = list(queryset.exclude(status=Article.Status.TAKEN_DOWN).order_by("id"))
        form = TakedownForm(request.POST if request.POST.get("confirm") else None)
        if form.is_bound and form.is_valid():
            for article in articles:
                try:
                    takedown.take_down(article, request.user, form.cleaned_data["reason"],
                                       block_url=form.cleaned_data["block_url"], request=request)
                except takedown.TakedownError as exc:
                    self.message_user(request, _("Article %(id)s: %(error)s.") % {"id": article.pk, "error": exc},
                                      messages.ERROR)
                else:
                    self.message_user(request, _("Article %(id)s taken down.") % {"id": article.pk},
                                      messages.SUCCESS)
            return None
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
                   "articles": articles}
        return TemplateResponse(request, "admin/archive/article/takedown.html", context)

    def upload_view(self, request):
        """Import through the browser: the same pipeline and report as import_articles."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        lines, outcomes = [], []
        if request.method == "POST" and form.is_valid():
            with ImportRun(import_status(), user=request.user, origin="upload") as run:
                for upload in form.cleaned_data["files"]:
                    outcomes.extend(run.import_upload(upload.name, upload))
            lines = [describe(o) for o in outcomes]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "lines": lines,
            "summary": summary(outcomes) if outcomes else "",
            "import_status": import_status(),
            "import_status_label": Article.Status(import_status()).label,
        }
        return TemplateResponse(request, "admin/archive/article/upload.html", context)

    @admin.display(description=gettext_lazy("title"), ordering="title")
    def short_title(self, obj):
        # The whole title is one hover away; the list stays within a 1,280-px screen. It
        # says its language, which is the article's and not the interface's.
        if len(obj.title) <= 70:
            return format_html('<span lang="{}">{}</span>', obj.language, obj.title)
        return format_html('<span lang="{}" title="{}">{}…</span>', obj.language, obj.title, obj.title[:68].rstrip())

    @admin.display(description=gettext_lazy("needs review"), ordering="needs_review")
    def review(self, obj):
        return "; ".join(_(reason) for reason in obj.review_reasons or []) if obj.needs_review else ""

    @admin.display(description=gettext_lazy("copies"), ordering="copy_count")
    def n_copies(self, obj):
        return obj.copy_count

    def save_model(self, request, obj, form, change):
        changes = {}
        if change:
            before = Article.objects.get(pk=obj.pk)
            request._places_before = {p.slug for p in before.places.all()}
            for name in form.changed_data:
                if name in EDITABLE_FIELDS or name == "status":
                    changes[name] = (getattr(before, name), getattr(obj, name))
            curation.mark_edited(obj, form.changed_data)
        with curation.recorded_here():
            super().save_model(request, obj, form, change)
        if changes:
            curation.record(obj, request.user, "edited", changes)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        before = getattr(request, "_places_before", None)
        if change and before is not None:
            after = {p.slug for p in form.instance.places.all()}
            curation.places_changed(form.instance, before, after, request.user)

    def _set_status(self, request, queryset, status):
        # One by one, so each change reaches the history and the search index.
        count = sum(curation.set_status(article, status, request.user) for article in queryset)
        self.message_user(request, ngettext("%(count)d article is now %(status)s.", "%(count)d articles are now %(status)s.",
                                            count) % {"count": count, "status": Article.Status(status).label},
                          messages.SUCCESS)

    @admin.action(description=gettext_lazy("Publish selected articles"), permissions=["change"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, Article.Status.PUBLISHED)

    @admin.action(description=gettext_lazy("Hide selected articles"), permissions=["change"])
    def hide(self, request, queryset):
        self._set_status(request, queryset, Article.Status.HIDDEN)

    @admin.action(description=gettext_lazy("Send selected articles back to draft"), permissions=["change"])
    def make_draft(self, request, queryset):
        self._set_status(request, queryset, Article.Status.DRAFT)

    @admin.action(description=gettext_lazy("Merge selected articles as copies of one (the oldest survives)"),
                  permissions=["change"])
    def merge_selected(self, request, queryset):
        articles = list(queryset.exclude(status__in=[Article.Status.MERGED, Article.Status.TAKEN_DOWN])
                        .order_by("id"))
        if len(articles) < 2:
            self.message_user(request, _("Select at least two articles to merge."), messages.WARNING)
            return
        target = curation.merge(articles[0], articles[1:], request.user)
        self.message_user(
            request,
            _("Merged %(merged)s into article %(target)s; their permalinks now redirect there.")
            % {"merged": ", ".join(str(a.pk) for a in articles[1:]), "target": target.pk},
            messages.SUCCESS,
        )

    @admin.action(description=gettext_lazy("Re-run extraction (editor corrections stay)"), permissions=["change"])
    def reextract(self, request, queryset):
        count = curation.reextract(queryset.exclude(status=Article.Status.MERGED), request.user)
        self.message_user(request, ngettext("Re-extracted %(count)d copy.", "Re-extracted %(count)d copies.", count)
                          % {"count": count}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Confirm the places of selected articles"), permissions=["change"])
    def confirm_places(self, request, queryset):
        for article in queryset:
            curation.confirm_places(article, request.user)
        self.message_user(request, _("Places confirmed."), messages.SUCCESS)


@admin.register(Copy)
class CopyAdmin(admin.ModelAdmin):
    """Copies are evidence of where an article was seen; an editor can split a wrong merge."""

    list_display = ("id", "article", "source_url", "site", "imported_at", "title")
    list_filter = ("site",)
    search_fields = ("title", "source_url", "article__title")
    raw_id_fields = ("article",)
    readonly_fields = [f.name for f in Copy._meta.fields]
    actions = ["split_out"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("archive.change_copy")

    @admin.action(description=gettext_lazy("Split selected copies out into articles of their own"),
                  permissions=["change"])
    def split_out(self, request, queryset):
        for copy in queryset.select_related("article"):
            try:
                new = curation.split(copy, request.user)
            except ValueError as exc:
                self.message_user(request, _("Copy %(copy)s: %(reason)s.") % {"copy": copy.pk, "reason": _(str(exc))},
                                  messages.ERROR)
            else:
                self.message_user(request, _("Copy %(copy)s is now article %(article)s.") % {"copy": copy.pk, "article": new.pk},
                                  messages.SUCCESS)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ("name", "slug", "homepage")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "country", "kind", "successor")
    list_filter = ("country", "kind")
    search_fields = ("name", "slug", "aliases")
    raw_id_fields = ("successor",)


@admin.register(RawCapture)
class RawCaptureAdmin(admin.ModelAdmin):
    """Evidence, not content: viewable by staff, never changed, never served publicly."""

    list_display = ("original_name", "sha256", "size", "media_type", "first_seen", "rejected_because", "purged_at")
    list_filter = ("media_type", "encoding")
    search_fields = ("original_name", "sha256", "source_url")
    readonly_fields = [f.name if f.name != "rejected_reason" else "rejected_because"
                       for f in RawCapture._meta.fields] + ["text_preview"]
    actions = ["purge"]

    def get_urls(self):
        warc = path("export-warc/", self.admin_site.admin_view(self.warc_view), name="archive_rawcapture_warc")
        return [warc] + super().get_urls()

    def get_readonly_fields(self, request, obj=None):
        # A taken-down article's captured text is for superusers only, until they purge it.
        if obj is not None and not request.user.is_superuser and takedown.purgeable(obj):
            return [f for f in self.readonly_fields if f != "text_preview"] + ["text_withheld"]
        return self.readonly_fields

    @admin.display(description=gettext_lazy("rejected because"), ordering="rejected_reason")
    def rejected_because(self, obj: RawCapture) -> str:
        return reasons.translate(obj.rejected_reason)

    @admin.display(description=gettext_lazy("text as captured"))
    def text_withheld(self, obj: RawCapture) -> str:
        return _("(withheld: the article was taken down)")

    def has_purge_permission(self, request):
        return request.user.is_superuser

    @admin.action(description=gettext_lazy("Purge the raw bytes of selected taken-down captures"),
                  permissions=["purge"])
    def purge(self, request, queryset):
        for capture in queryset:
            try:
                done = takedown.purge_raw(capture, request.user, request=request)
            except takedown.TakedownError as exc:
                self.message_user(request, f"{exc}.", messages.ERROR)
            else:
                if done:
                    self.message_user(request, _("Capture %(sha)s purged.") % {"sha": capture.sha256[:12]},
                                      messages.SUCCESS)

    def warc_view(self, request):
        """Every raw capture as one WARC file: evidence, for superusers (operators) only."""
        import tempfile

        if not request.user.is_superuser:
            raise PermissionDenied
        spool = tempfile.TemporaryFile()
        count = write_warc(spool)
        spool.seek(0)
        audit.record("export", request=request, summary=f"WARC export of {count} raw captures", captures=count)
        return FileResponse(spool, as_attachment=True, filename="archive-raw-captures.warc.gz",
                            content_type="application/warc")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("text as captured"))
    def text_preview(self, obj: RawCapture) -> str:
        try:
            data = raw_path(obj.sha256).read_bytes()
        except OSError:
            return _("(the raw bytes are missing from the capture store)")
        try:
            text, _media_type = decode(data, obj.media_type or "text/plain")
        except Exception:  # evidence may be undecodable; show what we can
            text = data.decode("utf-8", "replace")
        # Returned as plain text: the admin escapes it, so captured HTML never runs.
        return text[:20000]


@admin.register(PartnershipEvent)
class PartnershipEventAdmin(admin.ModelAdmin):
    """Editors confirm, correct or reject what the rules read; a re-run never overrides them."""

    list_display = ("date", "type", "vn", "kr", "status", "article_link", "sentence_start")
    list_filter = ("status", "type", "vn", "kr")
    search_fields = ("sentence", "article__title")
    raw_id_fields = ("article", "vn", "kr")
    readonly_fields = ("sentence",)
    actions = ["confirm", "reject"]

    @admin.display(description=gettext_lazy("article"))
    def article_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.article.get_absolute_url(), obj.article_id)

    @admin.display(description=gettext_lazy("sentence"))
    def sentence_start(self, obj):
        from archive.ingest.events import evidence_excerpt

        return evidence_excerpt(obj.sentence, 90)

    def save_model(self, request, obj, form, change):
        if change and form.changed_data and "status" not in form.changed_data:
            obj.status = PartnershipEvent.Status.CONFIRMED  # a correction is an editor's word
        if "date" in form.changed_data or "date_precision" in form.changed_data:
            obj.date_from_article = False  # the editor's date, not the article's
        super().save_model(request, obj, form, change)

    @admin.action(description=gettext_lazy("Confirm selected events"), permissions=["change"])
    def confirm(self, request, queryset):
        count = queryset.update(status=PartnershipEvent.Status.CONFIRMED)
        self.message_user(request, ngettext("%(count)d event confirmed.", "%(count)d events confirmed.", count)
                          % {"count": count}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Reject selected events"), permissions=["change"])
    def reject(self, request, queryset):
        count = queryset.update(status=PartnershipEvent.Status.REJECTED)
        self.message_user(request, ngettext("%(count)d event rejected.", "%(count)d events rejected.", count)
                          % {"count": count}, messages.SUCCESS)


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ("id", "type", "vn", "kr", "date")
    list_filter = ("type",)
    filter_horizontal = ("articles",)
    raw_id_fields = ("vn", "kr")


class SuperuserOnly:
    """Readable by superusers, written by the archive itself."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ("at", "action", "username", "ip", "recorded_summary")
    list_filter = ("action",)
    search_fields = ("username", "summary")
    date_hierarchy = "at"

    @admin.display(description=gettext_lazy("summary"), ordering="summary")
    def recorded_summary(self, obj: AuditEntry):
        # A record, written in English when it happened (like a log line), and marked so.
        return format_html('<span lang="en">{}</span>', obj.summary)


@admin.register(Takedown)
class TakedownAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ("at", "article_number", "username", "reason", "blocks_url")
    search_fields = ("reason", "username")

    def has_module_permission(self, request):
        return request.user.is_active and request.user.has_perm("archive.view_takedown")

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.has_perm("archive.view_takedown")


@admin.register(BlockedItem)
class BlockedItemAdmin(SuperuserOnly, admin.ModelAdmin):
    """The block list; a superuser may delete an entry to let those bytes in again."""

    list_display = ("kind", "value", "reason", "takedown", "created")
    list_filter = ("kind",)
    search_fields = ("value",)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser
