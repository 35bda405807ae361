"""Read an admin change form the way a browser would submit it."""
from __future__ import annotations

from bs4 import BeautifulSoup


def form_data(html: str, form_id: str | None = None) -> dict[str, str | list[str]]:
    soup = BeautifulSoup(html, "html.parser")
    form = soup.find("form", id=form_id) if form_id else soup.find("form", attrs={"method": "post"})
    data: dict[str, list[str]] = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.has_attr("disabled"):
            continue
        kind = field.get("type", "").lower()
        if field.name == "input":
            if kind in ("submit", "button", "file", "image", "reset"):
                continue
            if kind in ("checkbox", "radio") and not field.has_attr("checked"):
                continue
            default = "on" if kind in ("checkbox", "radio") else ""
            data.setdefault(name, []).append(field.get("value", default))
        elif field.name == "textarea":
            data.setdefault(name, []).append(field.text.lstrip("\n"))
        else:
            chosen = [o.get("value", o.text) for o in field.find_all("option") if o.has_attr("selected")]
            if not chosen and not field.has_attr("multiple"):
                first = field.find("option")
                chosen = [first.get("value", first.text)] if first else []
            data.setdefault(name, []).extend(chosen)
    return {k: v if len(v) != 1 else v[0] for k, v in data.items()}
