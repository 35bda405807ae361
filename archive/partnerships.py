"""Vietnamese–Korean pairs of places that the archive has evidence for.

A pair has evidence when a published article is about both places. (Event extraction
will add what happened between them; this is the list those events hang on.)
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from datetime import timezone as dt_timezone

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from archive.models import Article, Place


@dataclass
class Pair:
    vn: Place
    kr: Place
    articles: int
    latest: date | None
    updated: object = None

    @property
    def slug(self) -> str:
        return f"{self.vn.slug}--{self.kr.slug}"

    def get_absolute_url(self) -> str:
        return f"/partnerships/{self.slug}/"


def place_and_predecessors(place: Place) -> list[Place]:
    """A place and the units merged into it: Ninh Bình's feed includes Hà Nam's history."""
    found, frontier = [place], [place]
    while frontier:
        frontier = list(Place.objects.filter(successor__in=frontier).exclude(id__in=[p.id for p in found]))
        found.extend(frontier)
    return found


def pairs(place: Place | None = None) -> list[Pair]:
    """Every Vietnamese–Korean pair with at least one published article, most evidence first."""
    through = Article.places.through._meta.db_table
    article_table = Article._meta.db_table
    place_table = Place._meta.db_table
    sql = f"""
        SELECT a.place_id, b.place_id, COUNT(DISTINCT a.article_id), MAX(art.published), MAX(art.updated)
        FROM {through} a
        JOIN {through} b ON a.article_id = b.article_id
        JOIN {place_table} pa ON pa.id = a.place_id AND pa.country = 'vn'
        JOIN {place_table} pb ON pb.id = b.place_id AND pb.country = 'kr'
        JOIN {article_table} art ON art.id = a.article_id AND art.status = %s
        {"WHERE a.place_id = %s OR b.place_id = %s" if place else ""}
        GROUP BY a.place_id, b.place_id
    """
    params = [Article.Status.PUBLISHED] + ([place.id, place.id] if place else [])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    places = Place.objects.in_bulk({r[0] for r in rows} | {r[1] for r in rows})
    result = [
        Pair(places[vn], places[kr], n, _as_date(latest), _as_datetime(updated))
        for vn, kr, n, latest, updated in rows
    ]
    result.sort(key=lambda p: (-p.articles, p.vn.slug, p.kr.slug))
    return result


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _as_datetime(value) -> datetime | None:
    """Raw SQL on SQLite gives times as text; other databases give datetimes."""
    if value is None or isinstance(value, datetime):
        return value
    parsed = parse_datetime(str(value))
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, dt_timezone.utc)
    return parsed


def parse_pair_slug(value: str) -> tuple[Place, Place] | None:
    vn_slug, sep, kr_slug = value.partition("--")
    if not sep:
        return None
    found = {p.slug: p for p in Place.objects.filter(slug__in=[vn_slug, kr_slug])}
    vn, kr = found.get(vn_slug), found.get(kr_slug)
    if not vn or not kr or vn.country != "vn" or kr.country != "kr":
        return None
    return vn, kr


def pair_articles(vn: Place, kr: Place):
    return (
        Article.objects.published()
        .filter(places__in=place_and_predecessors(vn))
        .filter(places__in=place_and_predecessors(kr))
        .distinct()
    )
