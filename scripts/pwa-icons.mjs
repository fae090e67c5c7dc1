// The app icon, drawn from one description into an SVG (favicon) and into
// PNGs (web app manifest, apple-touch-icon) by a tiny rasteriser and PNG
// encoder written here: no download, no browser, byte-identical output on
// every machine (node's zlib at a fixed level is deterministic).
//
// The picture: a two-tone capsule, tilted 45 degrees, on a teal tile.
import zlib from 'node:zlib';

export const themeColor = '#0b5d66';
const colors = { tile: [0x0b, 0x5d, 0x66], light: [0xff, 0xff, 0xff], pale: [0xa7, 0xe8, 0xdf] };

// Geometry in a 512-unit square. `inset` shrinks the drawing into the middle
// (a maskable icon keeps its content inside the central 80% circle).
const shape = { radius: 113, capsuleHalfLength: 92, capsuleRadius: 72, groove: 7 };

export function iconSvg() {
  const { radius, capsuleHalfLength: L, capsuleRadius: r, groove: g } = shape;
  const c = 256;
  const hex = (rgb) => '#' + rgb.map((v) => v.toString(16).padStart(2, '0')).join('');
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">',
    `<rect width="512" height="512" rx="${radius}" fill="${hex(colors.tile)}"/>`,
    `<g transform="rotate(-45 ${c} ${c})">`,
    `<rect x="${c - L - r}" y="${c - r}" width="${2 * (L + r)}" height="${2 * r}" rx="${r}" fill="${hex(colors.pale)}"/>`,
    `<path d="M${c} ${c - r}H${c - L}A${r} ${r} 0 0 0 ${c - L} ${c + r}H${c}Z" fill="${hex(colors.light)}"/>`,
    `<rect x="${c - g}" y="${c - r}" width="${2 * g}" height="${2 * r}" fill="${hex(colors.tile)}"/>`,
    '</g></svg>',
    '',
  ].join('\n');
}

// Colour of the point (x, y) in 512-unit space, or null outside the tile.
function paint(x, y, { fullBleed, scale }) {
  const c = 256;
  if (!fullBleed) {
    const { radius: R } = shape;
    const dx = Math.max(R - x, 0, x - (512 - R));
    const dy = Math.max(R - y, 0, y - (512 - R));
    if (x < 0 || y < 0 || x > 512 || y > 512 || dx * dx + dy * dy > R * R) return null;
  }
  // Into capsule space: undo the scale about the centre, rotate by +45 degrees
  // (the SVG turns the capsule by -45).
  const px = (x - c) / scale, py = (y - c) / scale;
  const k = Math.SQRT1_2;
  const u = k * px - k * py, v = k * px + k * py;
  const { capsuleHalfLength: L, capsuleRadius: r, groove: g } = shape;
  const du = Math.max(Math.abs(u) - L, 0);
  if (du * du + v * v > r * r) return colors.tile;
  if (Math.abs(u) < g) return colors.tile;
  return u < 0 ? colors.light : colors.pale;
}

function rasterise(size, opts) {
  const n = 4; // 4x4 samples per pixel
  const rgba = Buffer.alloc(size * size * 4);
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sj = 0; sj < n; sj++) {
        for (let si = 0; si < n; si++) {
          const x = ((i + (si + 0.5) / n) * 512) / size;
          const y = ((j + (sj + 0.5) / n) * 512) / size;
          const col = paint(x, y, opts);
          if (!col) continue;
          r += col[0]; g += col[1]; b += col[2]; a += 255;
        }
      }
      const o = (j * size + i) * 4, samples = n * n;
      // straight (non-premultiplied) alpha
      const covered = a / 255;
      rgba[o] = covered ? Math.round(r / covered) : 0;
      rgba[o + 1] = covered ? Math.round(g / covered) : 0;
      rgba[o + 2] = covered ? Math.round(b / covered) : 0;
      rgba[o + 3] = Math.round(a / samples);
    }
  }
  return rgba;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

export function encodePng(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let j = 0; j < size; j++) {
    rows[j * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(rows, j * (size * 4 + 1) + 1, j * size * 4, (j + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// Every icon file the site ships, by name relative to the site's icons/ folder.
export function iconFiles() {
  const png = (size, opts) => encodePng(size, rasterise(size, opts));
  const any = { fullBleed: false, scale: 1 };
  const maskable = { fullBleed: true, scale: 0.78 };
  return {
    'icon.svg': Buffer.from(iconSvg()),
    'icon-192.png': png(192, any),
    'icon-512.png': png(512, any),
    'maskable-512.png': png(512, maskable),
    'apple-touch-icon.png': png(180, { fullBleed: true, scale: 0.9 }),
  };
}
