"""The "editor" group: curates articles, places, sources and copies; cannot manage users.

Kept in step after every migrate (and every test-database flush) by a post_migrate hook.
"""
from __future__ import annotations

EDITOR_PERMISSIONS = {
    "article": ("view", "change"),
    "copy": ("view", "change"),
    "place": ("view", "change"),
    "source": ("view", "add", "change"),
    "rawcapture": ("view",),
    "articlechange": ("view",),
    "partnershipevent": ("view", "change"),
    "story": ("view", "change"),
    "takedown": ("view",),
}


def ensure_editor_group(**kwargs) -> None:
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name="editor")
    codenames = [f"{action}_{model}" for model, actions in EDITOR_PERMISSIONS.items() for action in actions]
    group.permissions.set(Permission.objects.filter(content_type__app_label="archive", codename__in=codenames))
