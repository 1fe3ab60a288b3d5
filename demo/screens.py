"""Illustrative "screenshots" for the demo guides, drawn locally with Pillow.

Nothing is downloaded: each step describes a simplified screen (a phone or a browser
window, an app bar, labelled buttons, fields, messages) and the element to tap is ringed
in orange. Flat colours and a small palette keep each PNG well under 60 KB.

A screen is a `Screen` whose `items` are tuples, the first element naming the kind. In a
guide's data file (`demo/content/guides/`) each screen is a mapping under `screens:` (frame,
header, url, accent, extra, items) and each item a YAML list, as below:

    ("title", text)                 big bold line
    ("text", text)                  paragraph, wrapped
    ("small", text)                 small grey paragraph
    ("field", label, value)         labelled input box
    ("password", label, length)     input box with dots
    ("button", label)               primary button
    ("button2", label)              secondary (outlined) button
    ("link", label)                 underlined link
    ("bubble", sender, text)        a received SMS or chat message
    ("icons", (label, ...))         a grid of app icons
    ("list", (label, ...))          settings-style rows with a chevron
    ("slider", label, position)     a text-size slider, position in 0..1
    ("check", label)                ticked checkbox with its label
    ("video", name)                 a video call in progress
    ("photos", count)               a gallery grid
    ("mail", sender, subject)       a row of an inbox
    ("notice", text, tone)          a coloured box, tone "ok", "warn" or "info"
    ("card", title, text)           a result card (search result, doctor, product)
    ("keypad",)                     the bottom half of a phone keyboard

Prefix a kind with "!" to highlight that element (orange ring and a tap or pointer mark).
`icons`, `list` and `photos` highlight one entry instead: pass its index as last element.
`Screen.extra` flags: `url_highlight` rings the browser's address bar, `hangup` the red
button of a `video` item. Content taller than the screen raises ValueError.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
PHONE_SIZE = (720, 1280)
BROWSER_SIZE = (1200, 800)

INK = "#1b1f24"
GREY = "#5b6470"
LINE = "#c5ccd6"
PAPER = "#ffffff"
BACKDROP = "#dde6f1"
HIGHLIGHT = "#e8590c"
TONES = {
    "ok": ("#e3f4e8", "#1e7a3c"),
    "warn": ("#fdecea", "#b3261e"),
    "info": ("#e6effb", "#1f5fbf"),
}
ICON_COLOURS = ("#1f5fbf", "#1e7a3c", "#b3261e", "#7a3fb0", "#c25a00", "#00796b", "#455a64")


@dataclass(frozen=True)
class Screen:
    """A simplified screen: frame "phone" (720×1280) or "browser" (1200×800)."""

    frame: str
    header: str
    items: tuple = ()
    url: str = ""
    accent: str = "#1f5fbf"
    extra: dict = field(default_factory=dict, compare=False, hash=False)


@lru_cache(maxsize=32)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """DejaVu when the system has it (Debian fonts-dejavu-core), else Pillow's own font."""
    path = FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    if path.exists():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def wrap(text: str, fnt, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}".strip()
            if fnt.getlength(candidate) <= width or not current:
                current = candidate
            else:
                lines.append(current)
                current = word
        lines.append(current)
    return lines


class _Canvas:
    def __init__(self, screen: Screen):
        self.screen = screen
        self.phone = screen.frame == "phone"
        size = PHONE_SIZE if self.phone else BROWSER_SIZE
        self.image = Image.new("RGB", size, BACKDROP)
        self.draw = ImageDraw.Draw(self.image)
        # (box, tap point or None): the ring goes round the box, the tap mark on the point.
        self.highlights: list[tuple[tuple[int, int, int, int], tuple[int, int] | None]] = []
        if self.phone:
            self.s = {"title": 40, "text": 31, "small": 25, "button": 34, "line": 1.3}
            self._phone_frame()
        else:
            self.s = {"title": 36, "text": 27, "small": 22, "button": 28, "line": 1.3}
            self._browser_frame()

    # Frames -------------------------------------------------------------------------------
    def _phone_frame(self) -> None:
        d = self.draw
        d.rounded_rectangle((36, 14, 684, 1266), radius=64, fill="#23272f")
        d.rounded_rectangle((290, 36, 430, 48), radius=6, fill="#3a404b")  # speaker
        left, top, right, bottom = 58, 72, 662, 1196
        d.rectangle((left, top, right, bottom), fill=PAPER)
        d.rounded_rectangle((300, 1222, 420, 1232), radius=5, fill="#4a515e")  # home bar
        # Status bar: time, network, battery.
        d.rectangle((left, top, right, top + 44), fill="#f1f3f6")
        d.text((left + 20, top + 8), "10:24", font=font(24, True), fill=INK)
        for i in range(4):
            h = 8 + i * 5
            d.rectangle(
                (right - 120 + i * 12, top + 32 - h, right - 112 + i * 12, top + 32), fill=INK
            )
        d.rounded_rectangle(
            (right - 62, top + 12, right - 22, top + 32), radius=4, outline=INK, width=2
        )
        d.rectangle((right - 58, top + 16, right - 32, top + 28), fill=INK)
        header_top = top + 44
        d.rectangle((left, header_top, right, header_top + 96), fill=self.screen.accent)
        d.text(
            (left + 28, header_top + 48),
            self.screen.header,
            font=font(36, True),
            fill=PAPER,
            anchor="lm",
        )
        self.left, self.right = left + 30, right - 30
        self.y = header_top + 96 + 30
        self.bottom = bottom - 20

    def _browser_frame(self) -> None:
        d = self.draw
        left, top, right, bottom = 28, 22, 1172, 778
        d.rounded_rectangle(
            (left, top, right, bottom), radius=14, fill="#e9ecf1", outline="#b8c0cc"
        )
        for i, colour in enumerate(("#e25c4b", "#e9b13b", "#56b35b")):
            d.ellipse((left + 18 + i * 26, top + 16, left + 34 + i * 26, top + 32), fill=colour)
        d.rounded_rectangle((left + 110, top + 8, left + 470, top + 44), radius=8, fill=PAPER)
        d.text(
            (left + 128, top + 26), self.screen.header[:28], font=font(18), fill=INK, anchor="lm"
        )
        # Address bar with back arrow and padlock.
        bar_top = top + 50
        d.rectangle((left, bar_top, right, bar_top + 52), fill=PAPER)
        d.line((left + 24, bar_top + 26, left + 44, bar_top + 26), fill=GREY, width=3)
        d.line((left + 24, bar_top + 26, left + 33, bar_top + 17), fill=GREY, width=3)
        d.line((left + 24, bar_top + 26, left + 33, bar_top + 35), fill=GREY, width=3)
        d.rounded_rectangle(
            (left + 70, bar_top + 8, right - 20, bar_top + 44), radius=18, fill="#f1f3f6"
        )
        lock_x = left + 90
        d.rounded_rectangle((lock_x, bar_top + 22, lock_x + 16, bar_top + 36), radius=2, fill=GREY)
        d.arc((lock_x + 2, bar_top + 13, lock_x + 14, bar_top + 29), 180, 360, fill=GREY, width=3)
        d.text(
            (lock_x + 28, bar_top + 26),
            self.screen.url or "https://",
            font=font(21),
            fill=INK,
            anchor="lm",
        )
        d.line((left, bar_top + 52, right, bar_top + 52), fill=LINE, width=2)
        if self.screen.extra.get("url_highlight"):
            url_end = int(lock_x + 28 + font(21).getlength(self.screen.url or "https://"))
            self.highlights.append(((lock_x - 8, bar_top + 10, url_end + 8, bar_top + 42), None))
        # The site's own header.
        site_top = bar_top + 54
        d.rectangle((left, site_top, right, site_top + 70), fill=self.screen.accent)
        d.text(
            (left + 40, site_top + 35),
            self.screen.header,
            font=font(30, True),
            fill=PAPER,
            anchor="lm",
        )
        d.rectangle((left, site_top + 70, right, bottom - 2), fill=PAPER)
        self.left, self.right = left + 230, right - 230
        self.y = site_top + 70 + 26
        self.bottom = bottom - 16

    # Helpers --------------------------------------------------------------------------------
    @property
    def width(self) -> int:
        return self.right - self.left

    def _paragraph(
        self,
        text: str,
        size: int,
        colour: str,
        bold: bool = False,
        x: int | None = None,
        width: int | None = None,
    ) -> int:
        fnt = font(size, bold)
        x = self.left if x is None else x
        width = self.width if width is None else width
        step = int(size * self.s["line"])
        top = self.y
        for line in wrap(text, fnt, width):
            self.draw.text((x, self.y), line, font=fnt, fill=colour)
            self.y += step
        return top

    def _box(self, height: int) -> tuple[int, int, int, int]:
        box = (self.left, self.y, self.right, self.y + height)
        self.y += height
        return box

    # Items -----------------------------------------------------------------------------------
    def add(self, item: tuple) -> None:
        kind, *args = item
        highlighted = kind.startswith("!")
        kind = kind.lstrip("!")
        top = self.y
        self.item_box = None  # an item narrower than the column sets its own box
        getattr(self, f"_item_{kind}")(*args)
        if highlighted:
            box = self.item_box or (self.left, top, self.right, self.y)
            self.highlights.append((box, None))
        self.y += 20 if self.phone else 16

    def _item_title(self, text: str) -> None:
        self._paragraph(text, self.s["title"], INK, bold=True)

    def _item_text(self, text: str) -> None:
        self._paragraph(text, self.s["text"], INK)

    def _item_small(self, text: str) -> None:
        self._paragraph(text, self.s["small"], GREY)

    def _input(self, label: str, draw_value) -> None:
        self._paragraph(label, self.s["small"], GREY)
        self.y += 4
        height = 76 if self.phone else 56
        box = self._box(height)
        self.draw.rounded_rectangle(box, radius=10, outline="#8a94a3", width=3, fill=PAPER)
        draw_value(box)

    def _item_field(self, label: str, value: str) -> None:
        def value_text(box):
            self.draw.text(
                (box[0] + 18, (box[1] + box[3]) // 2),
                value,
                font=font(self.s["text"]),
                fill=INK,
                anchor="lm",
            )

        self._input(label, value_text)

    def _item_password(self, label: str, length: int) -> None:
        def dots(box):
            cy = (box[1] + box[3]) // 2
            for i in range(length):
                cx = box[0] + 30 + i * 28
                self.draw.ellipse((cx - 8, cy - 8, cx + 8, cy + 8), fill=INK)

        self._input(label, dots)

    def _button(self, label: str, filled: bool) -> None:
        fnt = font(self.s["button"], True)
        height = 88 if self.phone else 62
        if self.phone:
            box = self._box(height)
        else:
            width = max(320, int(fnt.getlength(label)) + 80)
            box = (self.left, self.y, self.left + width, self.y + height)
            self.item_box = box
            self.y += height
        accent = self.screen.accent
        if filled:
            self.draw.rounded_rectangle(box, radius=height // 2, fill=accent)
        else:
            self.draw.rounded_rectangle(
                box, radius=height // 2, outline=accent, width=4, fill=PAPER
            )
        self.draw.text(
            ((box[0] + box[2]) // 2, (box[1] + box[3]) // 2),
            label,
            font=fnt,
            fill=PAPER if filled else accent,
            anchor="mm",
        )

    def _item_button(self, label: str) -> None:
        self._button(label, True)

    def _item_button2(self, label: str) -> None:
        self._button(label, False)

    def _item_link(self, label: str) -> None:
        fnt = font(self.s["text"], True)
        self.draw.text((self.left, self.y), label, font=fnt, fill=self.screen.accent)
        width = fnt.getlength(label)
        base = self.y + self.s["text"] + 6
        self.draw.line((self.left, base, self.left + width, base), fill=self.screen.accent, width=3)
        self.y = base + 6

    def _item_bubble(self, sender: str, text: str) -> None:
        self._paragraph(sender, self.s["small"], GREY, bold=True)
        self.y += 6
        fnt = font(self.s["text"])
        lines = wrap(text, fnt, self.width - 60)
        step = int(self.s["text"] * self.s["line"])
        box = (self.left, self.y, self.right - 20, self.y + len(lines) * step + 36)
        self.draw.rounded_rectangle(box, radius=26, fill="#eceff3")
        y = self.y + 18
        for line in lines:
            self.draw.text((self.left + 28, y), line, font=fnt, fill=INK)
            y += step
        self.y = box[3]

    def _item_icons(self, labels: tuple, highlight: int | None = None) -> None:
        per_row = 3 if self.phone else 5
        cell = self.width // per_row
        size = 120 if self.phone else 92
        fnt = font(self.s["small"])
        for index, label in enumerate(labels):
            row, col = divmod(index, per_row)
            cx = self.left + col * cell + cell // 2
            top = self.y + row * (size + 80)
            colour = ICON_COLOURS[index % len(ICON_COLOURS)]
            box = (cx - size // 2, top, cx + size // 2, top + size)
            self.draw.rounded_rectangle(box, radius=28, fill=colour)
            self.draw.text(
                (cx, top + size // 2),
                label[0].upper(),
                font=font(size // 2, True),
                fill=PAPER,
                anchor="mm",
            )
            self.draw.text((cx, top + size + 14), label, font=fnt, fill=INK, anchor="mt")
            if index == highlight:
                self.highlights.append(
                    (
                        (box[0] - 6, box[1] - 6, box[2] + 6, box[3] + 50),
                        (cx + size // 2 - 8, top + size - 8),
                    )
                )
        rows = (len(labels) + per_row - 1) // per_row
        self.y += rows * (size + 80)

    def _item_list(self, labels: tuple, highlight: int | None = None) -> None:
        fnt = font(self.s["text"])
        height = 92 if self.phone else 62
        for index, label in enumerate(labels):
            box = self._box(height)
            cy = (box[1] + box[3]) // 2
            self.draw.text((box[0] + 8, cy), label, font=fnt, fill=INK, anchor="lm")
            self.draw.line((box[2] - 34, cy - 12, box[2] - 20, cy), fill=GREY, width=4)
            self.draw.line((box[2] - 20, cy, box[2] - 34, cy + 12), fill=GREY, width=4)
            self.draw.line((box[0], box[3], box[2], box[3]), fill=LINE, width=2)
            if index == highlight:
                self.highlights.append((box, None))

    def _item_slider(self, label: str, position: float) -> None:
        self._paragraph(label, self.s["small"], GREY)
        self.y += 10
        box = self._box(80)
        cy = (box[1] + box[3]) // 2
        self.draw.text((box[0], cy), "A", font=font(26, True), fill=INK, anchor="lm")
        self.draw.text((box[2], cy), "A", font=font(54, True), fill=INK, anchor="rm")
        start, end = box[0] + 50, box[2] - 60
        knob = int(start + (end - start) * position)
        self.draw.line((start, cy, end, cy), fill=LINE, width=8)
        self.draw.line((start, cy, knob, cy), fill=self.screen.accent, width=8)
        for i in range(6):
            tick = start + (end - start) * i // 5
            self.draw.ellipse((tick - 5, cy - 5, tick + 5, cy + 5), fill=GREY)
        self.draw.ellipse((knob - 24, cy - 24, knob + 24, cy + 24), fill=self.screen.accent)

    def _item_check(self, label: str) -> None:
        size = 44 if self.phone else 34
        top = self.y
        self.draw.rounded_rectangle(
            (self.left, top, self.left + size, top + size), radius=6, fill=self.screen.accent
        )
        self.draw.line(
            (
                self.left + size * 0.22,
                top + size * 0.52,
                self.left + size * 0.42,
                top + size * 0.72,
            ),
            fill=PAPER,
            width=5,
        )
        self.draw.line(
            (self.left + size * 0.42, top + size * 0.72, self.left + size * 0.8, top + size * 0.28),
            fill=PAPER,
            width=5,
        )
        self._paragraph(
            label, self.s["text"], INK, x=self.left + size + 18, width=self.width - size - 18
        )
        self.y = max(self.y, top + size)

    def _item_video(self, name: str) -> None:
        height = 620 if self.phone else 420
        box = self._box(height)
        d = self.draw
        d.rounded_rectangle(box, radius=20, fill="#2f3a4a")
        cx = (box[0] + box[2]) // 2
        head = 70 if self.phone else 56
        d.ellipse((cx - head, box[1] + 110, cx + head, box[1] + 110 + 2 * head), fill="#f2c6a0")
        d.pieslice(
            (cx - 2 * head, box[1] + 130 + 2 * head, cx + 2 * head, box[1] + 130 + 6 * head),
            180,
            360,
            fill="#6c8fc7",
        )
        d.text((box[0] + 24, box[1] + 20), name, font=font(self.s["text"], True), fill=PAPER)
        small = (box[2] - 150, box[1] + 20, box[2] - 20, box[1] + 190)
        d.rounded_rectangle(small, radius=12, fill="#8fa3bf", outline=PAPER, width=3)
        d.ellipse((small[0] + 40, small[1] + 40, small[0] + 90, small[1] + 90), fill="#e6b48f")
        # Buttons: microphone, camera, hang up.
        y = box[3] - 80
        for i, (colour, label) in enumerate(
            (("#55606f", "Micro"), ("#55606f", "Caméra"), ("#d93025", "Raccrocher"))
        ):
            bx = cx + (i - 1) * 160
            d.ellipse((bx - 44, y - 44, bx + 44, y + 44), fill=colour)
            d.text((bx, y + 56), label, font=font(22, True), fill=PAPER, anchor="mt")
            if label == "Raccrocher" and self.screen.extra.get("hangup"):
                self.highlights.append(((bx - 62, y - 56, bx + 62, y + 88), (bx + 14, y + 10)))
        self.y = box[3]

    def _item_photos(self, count: int, highlight: int | None = None) -> None:
        per_row = 3 if self.phone else 5
        gap = 10
        cell = (self.width - gap * (per_row - 1)) // per_row
        for index in range(count):
            row, col = divmod(index, per_row)
            x = self.left + col * (cell + gap)
            y = self.y + row * (cell + gap)
            sky = ("#9cc7f0", "#f7c98b", "#b9e0c0", "#c9b8ef")[index % 4]
            self.draw.rectangle((x, y, x + cell, y + cell), fill=sky)
            self.draw.ellipse(
                (x + cell * 0.6, y + cell * 0.15, x + cell * 0.85, y + cell * 0.4), fill="#ffe08a"
            )
            self.draw.polygon(
                [(x, y + cell), (x + cell * 0.4, y + cell * 0.45), (x + cell * 0.75, y + cell)],
                fill="#4f7d5a",
            )
            if index == highlight:
                self.highlights.append(((x, y, x + cell, y + cell), (x + cell // 2, y + cell // 2)))
        rows = (count + per_row - 1) // per_row
        self.y += rows * (cell + gap)

    def _item_mail(self, sender: str, subject: str) -> None:
        height = 110 if self.phone else 74
        box = self._box(height)
        d = self.draw
        r = 30 if self.phone else 24
        cy = (box[1] + box[3]) // 2
        d.ellipse((box[0], cy - r, box[0] + 2 * r, cy + r), fill="#7a3fb0")
        d.text((box[0] + r, cy), sender[0].upper(), font=font(r, True), fill=PAPER, anchor="mm")
        d.text(
            (box[0] + 2 * r + 18, box[1] + 14),
            sender,
            font=font(self.s["small"] + 2, True),
            fill=INK,
        )
        d.text((box[0] + 2 * r + 18, cy + 8), subject, font=font(self.s["small"]), fill=GREY)
        d.line((box[0], box[3], box[2], box[3]), fill=LINE, width=2)

    def _item_notice(self, text: str, tone: str = "info") -> None:
        background, colour = TONES[tone]
        fnt = font(self.s["text"] - 2, True)
        lines = wrap(text, fnt, self.width - 56)
        step = int((self.s["text"] - 2) * self.s["line"])
        box = (self.left, self.y, self.right, self.y + len(lines) * step + 36)
        self.draw.rounded_rectangle(box, radius=14, fill=background)
        self.draw.rectangle((box[0], box[1] + 8, box[0] + 8, box[3] - 8), fill=colour)
        y = box[1] + 18
        for line in lines:
            self.draw.text((box[0] + 30, y), line, font=fnt, fill=colour)
            y += step
        self.y = box[3]

    def _item_card(self, title: str, text: str) -> None:
        top = self.y
        self.y += 18
        self.left += 22
        self.right -= 22
        self._paragraph(title, self.s["text"], INK, bold=True)
        self._paragraph(text, self.s["small"], GREY)
        self.left -= 22
        self.right += 22
        self.y += 12
        self.draw.rounded_rectangle(
            (self.left, top, self.right, self.y), radius=14, outline=LINE, width=3
        )

    def _item_keypad(self) -> None:
        rows = ("azertyuiop", "qsdfghjklm", "wxcvbn'")
        key_h = 74 if self.phone else 50
        fnt = font(30 if self.phone else 22)
        docked = self.bottom - len(rows) * (key_h + 10) - 20  # always at the bottom
        if self.y > docked:
            raise ValueError(f"Screen {self.screen.header!r}: content runs under the keyboard")
        self.y = docked
        self.draw.rectangle(
            (self.left - 30, self.y - 10, self.right + 30, self.bottom + 20), fill="#d5d9e0"
        )
        for row in rows:
            width = self.width // 10
            offset = (self.width - width * len(row)) // 2
            for i, char in enumerate(row):
                x = self.left + offset + i * width
                self.draw.rounded_rectangle(
                    (x + 3, self.y, x + width - 3, self.y + key_h), radius=8, fill=PAPER
                )
                self.draw.text(
                    (x + width // 2, self.y + key_h // 2), char, font=fnt, fill=INK, anchor="mm"
                )
            self.y += key_h + 10

    # Highlight marks ----------------------------------------------------------------------
    def finish(self) -> Image.Image:
        if self.y > self.bottom + 20:
            raise ValueError(f"Screen {self.screen.header!r}: content overflows the screen")
        d = self.draw
        for (left, top, right, bottom), tap in self.highlights:
            d.rounded_rectangle(
                (left - 12, top - 12, right + 12, bottom + 12),
                radius=18,
                outline=HIGHLIGHT,
                width=7,
            )
            if self.phone:
                # A tap: a filled dot with two rings, on the element's right part.
                cx, cy = tap or (right - 40, bottom)  # bottom-right corner, clear of the label
                for radius, width in ((46, 5), (30, 5)):
                    d.ellipse(
                        (cx - radius, cy - radius, cx + radius, cy + radius),
                        outline=HIGHLIGHT,
                        width=width,
                    )
                d.ellipse((cx - 16, cy - 16, cx + 16, cy + 16), fill=HIGHLIGHT)
            else:
                # A mouse pointer on the element's right end, clear of its label.
                x, y = tap or (right - 60, (top + bottom) // 2 + 4)
                arrow = [
                    (x, y),
                    (x, y + 46),
                    (x + 12, y + 35),
                    (x + 22, y + 56),
                    (x + 31, y + 52),
                    (x + 21, y + 31),
                    (x + 36, y + 31),
                ]
                d.polygon(arrow, fill=INK, outline=PAPER)
                d.line([*arrow, arrow[0]], fill=PAPER, width=2)
        return self.image


def render(screen: Screen) -> Image.Image:
    canvas = _Canvas(screen)
    for item in screen.items:
        canvas.add(item)
    return canvas.finish()


def render_png(screen: Screen) -> bytes:
    """PNG bytes with a 64-colour palette: flat drawings stay small (typically 15-45 KB)."""
    image = render(screen).quantize(
        colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def render_handout_pdf(title: str, subtitle: str, sections: list[tuple[str, list[str]]]) -> bytes:
    """A one-page A4 handout saved as PDF by Pillow: drawn at 200 dpi, then stored in black
    and white (CCITT G4 when Pillow has libtiff), so a page weighs a few tens of KB."""

    def px(value: float) -> int:  # layout designed at 150 dpi
        return round(value * 4 / 3)

    width, height = px(1240), px(1754)
    page = Image.new("L", (width, height), 255)
    d = ImageDraw.Draw(page)
    margin = px(110)
    y = margin
    d.rectangle((0, 0, width, px(36)), fill=0)
    for line in wrap(title, font(px(58), True), width - 2 * margin):
        d.text((margin, y), line, font=font(px(58), True), fill=0)
        y += px(74)
    for line in wrap(subtitle, font(px(32)), width - 2 * margin):
        d.text((margin, y), line, font=font(px(32)), fill=0)
        y += px(44)
    y += px(30)
    for heading, bullets in sections:
        d.text((margin, y), heading, font=font(px(40), True), fill=0)
        y += px(60)
        for bullet in bullets:
            lines = wrap(bullet, font(px(32)), width - 2 * margin - px(50))
            d.ellipse((margin + px(6), y + px(12), margin + px(22), y + px(28)), fill=0)
            for line in lines:
                d.text((margin + px(50), y), line, font=font(px(32)), fill=0)
                y += px(44)
            y += px(12)
        y += px(26)
    d.text(
        (margin, height - margin),
        "Pas à pas – support d'atelier, libre de réutilisation (Licence Ouverte Etalab 2.0)",
        font=font(px(24)),
        fill=0,
    )
    black_and_white = page.point(lambda value: 255 if value > 150 else 0).convert("1")
    buffer = io.BytesIO()
    black_and_white.save(buffer, format="PDF", resolution=200.0, title=title, author="Pas à pas")
    return buffer.getvalue()
