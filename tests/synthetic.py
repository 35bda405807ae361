"""Distinct synthetic articles for tests that need many (a stress test, a killed import).

Deterministic: article i is always the same text. Random syllables keep articles far
apart for the near-duplicate detector.
"""
from __future__ import annotations

import random
from pathlib import Path

PLACES = ["Bình Dương", "Đà Nẵng", "Hải Phòng", "Bắc Ninh", "Nghệ An", "Gyeonggi", "Busan", "Daegu",
          "Incheon", "Jeollanam", "Quảng Ninh", "Khánh Hòa"]
SYLLABLES = ("an ba binh cao chau dao dinh dong duc gia giang ha hai hoa hung khanh kim lam lan long "
             "minh nam nghia ngoc nhat phong phu quang son tam tan thanh thien thu tien trung tuan van "
             "viet vinh xuan yen").split()


def article_text(i: int) -> str:
    rng = random.Random(i)
    place_a, place_b = rng.sample(PLACES, 2)
    token = f"mau{i:05d}"

    def sentence(n: int) -> str:
        words = [rng.choice(SYLLABLES) + "".join(rng.choices("abcdeghiklmnopqrstuvxy", k=rng.randint(2, 5)))
                 for _ in range(n)]
        return " ".join(words).capitalize() + "."

    title = f"Hợp tác {place_a} và {place_b} số {token}"
    paragraphs = [f"Ngày {rng.randint(1, 28)}/{rng.randint(1, 12)}/2024, tỉnh {place_a} và {place_b} "
                  f"ký kết bản ghi nhớ {token}. " + sentence(25)]
    paragraphs += [sentence(rng.randint(20, 40)) + " " + sentence(15) for _ in range(4)]
    return title + "\n\n" + "\n\n".join(paragraphs) + "\n"


def write_articles(folder: Path, start: int, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + count):
        path = folder / f"synthetic_{i:05d}.txt"
        path.write_text(article_text(i), encoding="utf-8")
        paths.append(path)
    return paths
