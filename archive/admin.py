"""Admin curation: articles, sources, places, and the raw captures (read-only evidence)."""
from __future__ import annotations

from django.contrib import admin, messages
from django.db import models
from django.db.models import Count
from django.utils.html import format_html

from archive.ingest.read import decode
from archive.ingest.store import raw_path
from archive.models import Article, Copy, Place, RawCapture, Source

admin.site.site_header = "Vietnam–Korea Cooperation News Archive"
admin.site.site_title = "Archive admin"
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class CopyInline(admin.TabularInline):
    model = Copy
    extra = 0
    can_delete = False
    fields = ("source_url", "site", "captured_at", "imported_at", "raw_link", "title", "published", "date_precision")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="raw capture")
    def raw_link(self, obj: Copy):
        return format_html('<a href="../../../rawcapture/{}/change/">{}</a>', obj.raw_id, obj.raw.sha256[:12])


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ("id", "title", "language", "published", "date_precision", "source", "status", "n_copies")
    list_filter = ("status", "language", "source", "date_precision", "title_derived", "places")
    search_fields = ("title", "body")
    date_hierarchy = "published"
    filter_horizontal = ("places",)
    readonly_fields = ("created", "updated")
    inlines = [CopyInline]
    actions = ["publish", "hide"]
    fieldsets = (
        (None, {"fields": ("title", "title_derived", "status")}),
        ("Metadata", {"fields": ("language", "published", "date_precision", "source", "source_url", "places", "countries")}),
        ("Text", {"fields": ("body",)}),
        ("Record", {"fields": ("created", "updated")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source").annotate(copy_count=Count("copies"))

    @admin.display(description="copies", ordering="copy_count")
    def n_copies(self, obj):
        return obj.copy_count

    def _set_status(self, request, queryset, status):
        # Saved one by one so each change reaches the search index through the signals.
        count = 0
        for article in queryset:
            if article.status != status:
                article.status = status
                article.save(update_fields=["status", "updated"])
                count += 1
        self.message_user(request, f"{count} article(s) {status}.", messages.SUCCESS)

    @admin.action(description="Publish selected articles")
    def publish(self, request, queryset):
        self._set_status(request, queryset, Article.Status.PUBLISHED)

    @admin.action(description="Hide selected articles")
    def hide(self, request, queryset):
        self._set_status(request, queryset, Article.Status.HIDDEN)


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

    list_display = ("original_name", "sha256", "size", "media_type", "first_seen", "rejected_reason")
    list_filter = ("media_type", "encoding")
    search_fields = ("original_name", "sha256", "source_url")
    readonly_fields = [f.name for f in RawCapture._meta.fields] + ["text_preview"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="text as captured")
    def text_preview(self, obj: RawCapture) -> str:
        try:
            data = raw_path(obj.sha256).read_bytes()
        except OSError:
            return "(the raw bytes are missing from the capture store)"
        try:
            text, _ = decode(data, obj.media_type or "text/plain")
        except Exception:  # evidence may be undecodable; show what we can
            text = data.decode("utf-8", "replace")
        # Returned as plain text: the admin escapes it, so captured HTML never runs.
        return text[:20000]
