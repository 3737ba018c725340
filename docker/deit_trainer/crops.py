"""Where each cached picture lies in its row, and the crops cut from it on the device.

Usage:
    ext = extent(x_u8)                                  # per sample: stored rows, cols, transposed
    cx, cy, w, h = random_resized_crop(ext, (0.25, 1.0), (3 / 4, 4 / 3), gen)   # upright pixels
    theta = stored_theta(ext, m, c)       # [B,2,3] for F.affine_grid on content(x_u8) (see below)
    keep = inside(grid, ext)              # [B,img,img]: samples that fall on the picture
    x = centre_crop(x_u8, img_size)       # float 0..1 [B,3,img,img]: the model's eval resize + crop
Cache rows (decode.py) are [side + 1, width, 3]: the picture top-left, stored landscape (transposed
when it is portrait), the last row a header with its true extent. A row whose header is missing (a
plain uint8 array, e.g. in a benchmark) counts as a picture filling the rows above its last one.
Everything is tensor arithmetic on the batch's device, with no data-dependent branch (no GPU sync).

Random-resized-crop is torchvision's RandomResizedCrop, batched: area and aspect ratio are drawn
relative to the whole upright picture, up to 10 tries per sample for a crop that fits, else the
central crop with the ratio clamped; the crop may lie anywhere in the picture, borders included.
The eval crop is timm's eval transform: shorter side resized to `side` (the cache stores it so:
`side` is the model's eval resize, preprocess.py), centre crop img_size at round((len - img) / 2)
as torchvision's CenterCrop. For a picture stored at its shorter side it is an exact pixel copy.
"""
import math
from typing import NamedTuple

import torch

from .decode import HEADER_MAGIC

RRC_TRIES = 10  # torchvision RandomResizedCrop.get_params


class Extent(NamedTuple):
    side: int                 # rows of the picture area (the array's rows minus the header row)
    width: int                # columns of the array
    rows: torch.Tensor        # [B] float: stored picture height (the shorter side)
    cols: torch.Tensor        # [B] float: stored picture width
    transposed: torch.Tensor  # [B] bool: stored = upright picture transposed (a portrait picture)

    def upright(self):
        """(height, width) of the upright picture in stored pixels, [B] each."""
        return torch.where(self.transposed, self.cols, self.rows), torch.where(self.transposed, self.rows, self.cols)


def extent(x_u8):
    """The Extent of a batch of cache rows [B, side + 1, width, 3] (uint8, any device)."""
    b, n, width = x_u8.shape[:3]
    head = x_u8[:, -1, :3].long()
    # compared with plain numbers: a torch.tensor(..., device=cuda) per batch would block the host
    has = (head[:, 0, 0] == HEADER_MAGIC[0]) & (head[:, 0, 1] == HEADER_MAGIC[1]) & (head[:, 0, 2] == HEADER_MAGIC[2])
    side = n - 1
    rows = torch.where(has, head[:, 1, 0] * 256 + head[:, 1, 1], side).clamp(1, side).float()
    cols = torch.where(has, head[:, 2, 0] * 256 + head[:, 2, 1], width).clamp(1, width).float()
    return Extent(side, width, rows, cols, has & (head[:, 1, 2] == 1))


def content(x_u8):
    """The picture area of cache rows as float 0..1 [B,3,side,width] (the header row dropped)."""
    return x_u8[:, :-1].permute(0, 3, 1, 2).float().div_(255)


def random_resized_crop(ext, scale, ratio, gen):
    """Crop centre and size (cx, cy, w, h), [B] each, in upright pixels of each sample's picture."""
    b, device = ext.rows.shape[0], ext.rows.device
    height, width = ext.upright()
    area = (height * width).view(b, 1)
    target = area * (torch.rand((b, RRC_TRIES), generator=gen, device=device) * (scale[1] - scale[0]) + scale[0])
    log_lo, log_hi = math.log(ratio[0]), math.log(ratio[1])
    aspect = torch.exp(torch.rand((b, RRC_TRIES), generator=gen, device=device) * (log_hi - log_lo) + log_lo)
    w_try, h_try = torch.sqrt(target * aspect), torch.sqrt(target / aspect)
    fits = (w_try <= width.view(b, 1)) & (h_try <= height.view(b, 1))
    first = fits.float().argmax(1, keepdim=True)  # the first try that fits (0 when none does)
    found = fits.any(1)
    # none fits: the whole picture, its aspect clamped to the ratio range, centred (as torchvision)
    in_ratio = width / height
    fall_w = torch.where(in_ratio > ratio[1], height * ratio[1], width)
    fall_h = torch.where(in_ratio < ratio[0], width / ratio[0], height)
    w = torch.where(found, w_try.gather(1, first).view(b), fall_w)
    h = torch.where(found, h_try.gather(1, first).view(b), fall_h)
    u = torch.rand((b, 2), generator=gen, device=device)
    x0 = torch.where(found, u[:, 0] * (width - w), (width - w) / 2)
    y0 = torch.where(found, u[:, 1] * (height - h), (height - h) / 2)
    return x0 + w / 2, y0 + h / 2, w, h


def stored_theta(ext, m, c):
    """[B,2,3] for F.affine_grid over content(x_u8): output coords (-1..1) -> the array's, given the map
    in upright pixels, upright = m @ (u, v) + c (m [B,2,2], c [B,2]); transposes portrait samples."""
    t = ext.transposed.view(-1, 1)
    m_s = torch.where(t.view(-1, 1, 1), m.flip(1), m)  # stored (x, y) = upright (y, x): swap the rows
    c_s = torch.where(t, c.flip(1), c)
    sx, sy = 2 / ext.width, 2 / ext.side  # pixel edges 0..n -> -1..1 (plain numbers: no device constant per batch)
    m_u = torch.stack([m_s[:, 0] * sx, m_s[:, 1] * sy], 1)
    c_u = torch.stack([c_s[:, 0] * sx, c_s[:, 1] * sy], 1) - 1
    return torch.cat([m_u, c_u.unsqueeze(2)], 2)


def inside(grid, ext):
    """[B,H,W] bool: which sampling points of an affine_grid (align_corners=False) lie on the picture."""
    x = (grid[..., 0] + 1) * (ext.width / 2)
    y = (grid[..., 1] + 1) * (ext.side / 2)
    b = grid.shape[0]
    return (x >= 0) & (y >= 0) & (x <= ext.cols.view(b, 1, 1)) & (y <= ext.rows.view(b, 1, 1))


def centre_crop(x_u8, img_size):
    """Cache rows -> the eval crop, float 0..1 [B,3,img,img] (see the module docstring)."""
    ext = extent(x_u8)
    b, device = x_u8.shape[0], x_u8.device
    # the shorter side goes to `side`; a picture fitted below it (wider than 2:1) is scaled up
    k = ext.side / ext.rows
    rows_r = torch.full_like(ext.rows, float(ext.side))
    cols_r = torch.where(ext.rows == ext.side, ext.cols, torch.floor(ext.cols * k))
    top, left = torch.round((rows_r - img_size) / 2), torch.round((cols_r - img_size) / 2)  # half to even, as round()
    steps = torch.arange(img_size, device=device, dtype=torch.float32) + 0.5

    def taps(offset, length):
        """Bilinear taps along one stored axis: (index0, index1, weight of index1), [B, img] each."""
        pos = ((offset.view(b, 1) + steps) / k.view(b, 1) - 0.5).clamp(min=0)
        pos = torch.minimum(pos, (length - 1).view(b, 1))
        i0 = pos.floor()
        return i0.long(), torch.minimum(i0 + 1, (length - 1).view(b, 1)).long(), pos - i0

    y0, y1, wy = taps(top, ext.rows)
    x0, x1, wx = taps(left, ext.cols)
    bi = torch.arange(b, device=device).view(b, 1, 1)
    pick = lambda ys, xs: x_u8[bi, ys.view(b, -1, 1), xs.view(b, 1, -1)].float()  # [B,img,img,3]
    wx, wy = wx.view(b, 1, -1, 1), wy.view(b, -1, 1, 1)
    # at whole-pixel positions the weights are exactly 0: an exact copy of the stored pixels
    out = (pick(y0, x0) * (1 - wx) + pick(y0, x1) * wx) * (1 - wy) + (pick(y1, x0) * (1 - wx) + pick(y1, x1) * wx) * wy
    out = torch.where(ext.transposed.view(b, 1, 1, 1), out.transpose(1, 2), out)  # back upright
    return out.permute(0, 3, 1, 2).div_(255)
