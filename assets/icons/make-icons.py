"""Draws the DeiT Studio icon and writes every size electron-builder needs.

Usage: python3 assets/icons/make-icons.py   (needs Pillow: apt-get install python3-pil)

The picture: a 4x4 grid of image patches, as a vision transformer sees an image, with a diagonal of
highlighted patches (attention) on a dark rounded square. Drawn once at 1024 px and scaled down.
"""

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
MASTER = 1024
BACKGROUND = (27, 35, 56)  # deep navy, reads on light and dark docks
PATCH = (74, 98, 150)
HIGHLIGHT = (255, 176, 59)  # amber
PNG_SIZES = [512, 256, 128, 64, 48, 32, 16]


def draw_master() -> Image.Image:
    """The 1024 px master, drawn at 4x and downsampled for smooth edges."""
    scale = 4
    size = MASTER * scale
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    margin = int(size * 0.06)  # macOS-style breathing room around the tile
    draw.rounded_rectangle(
        [margin, margin, size - margin, size - margin], radius=int(size * 0.2), fill=BACKGROUND
    )
    cells = 4
    inner = size - 2 * margin
    pad = int(inner * 0.14)
    gap = int(inner * 0.035)
    cell = (inner - 2 * pad - (cells - 1) * gap) // cells
    for row in range(cells):
        for col in range(cells):
            x0 = margin + pad + col * (cell + gap)
            y0 = margin + pad + row * (cell + gap)
            colour = HIGHLIGHT if row == col else PATCH
            draw.rounded_rectangle([x0, y0, x0 + cell, y0 + cell], radius=int(cell * 0.18), fill=colour)
    return image.resize((MASTER, MASTER), Image.LANCZOS)


def main() -> None:
    master = draw_master()
    for size in PNG_SIZES:
        # Linux reads a folder of NxN.png files (electron-builder: linux.icon).
        master.resize((size, size), Image.LANCZOS).save(HERE / f"{size}x{size}.png", optimize=True)
    master.save(HERE / "icon.ico", sizes=[(s, s) for s in (256, 128, 64, 48, 32, 16)])  # Windows
    master.save(HERE / "icon.icns")  # macOS
    print("wrote", ", ".join(sorted(p.name for p in HERE.iterdir() if p.suffix in {".png", ".ico", ".icns"})))


if __name__ == "__main__":
    main()
