"""static/description/icon.png: an invoice going out under the French colours (python3 tools/make_icon.py)."""

import pathlib

from PIL import Image, ImageDraw

SIZE = 256
BLUE, WHITE, RED, INK = (0, 35, 149), (255, 255, 255), (237, 41, 57), (30, 41, 59)
OUT = pathlib.Path(__file__).resolve().parent.parent / "static" / "description" / "icon.png"


def main():
    icon = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(icon)
    draw.rounded_rectangle((0, 0, SIZE - 1, SIZE - 1), radius=40, fill=BLUE)
    # The invoice: a white sheet with its lines, one of them the total in red.
    draw.rounded_rectangle((58, 40, 170, 196), radius=10, fill=WHITE)
    for top in (70, 92, 114):
        draw.rounded_rectangle((76, top, 152, top + 8), radius=4, fill=INK)
    draw.rounded_rectangle((110, 150, 152, 162), radius=4, fill=RED)
    # Sent: an arrow leaving the sheet towards the buyer.
    draw.rounded_rectangle((140, 176, 206, 194), radius=9, fill=RED)
    draw.polygon([(200, 158), (232, 185), (200, 212)], fill=RED)
    icon.save(OUT)


if __name__ == "__main__":
    main()
