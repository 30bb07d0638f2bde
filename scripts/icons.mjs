#!/usr/bin/env node
// Draws Orbita's icon (a sun, its orbit and a planet on an indigo tile) and writes it where the
// Next.js App Router looks for icons: app/icon.svg (modern browsers), app/favicon.ico (16, 32 and
// 48 px, for /favicon.ico) and app/apple-icon.png (180 px, square and opaque, for home screens). One list of shapes feeds
// the SVG and the rasterizer, so the three never differ. No dependencies: PNG is zlib plus a CRC,
// and an ICO is a small directory in front of PNGs. Run `node scripts/icons.mjs` after changing it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const size = 64; // the design's grid
const indigo = [79, 70, 229]; // tailwind indigo-600
const white = [255, 255, 255];
const amber = [251, 191, 36]; // tailwind amber-400
const hex = ([r, g, b]) => `#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;

const orbit = { r: 19, width: 4.5 };
const planet = { x: 32 + orbit.r * Math.SQRT1_2, y: 32 - orbit.r * Math.SQRT1_2, r: 6, rim: 2.5 };

/** Painted in order; `inside(x, y)` on the 64 × 64 grid (`square`: the tile without rounded corners). */
const shapes = [
  { colour: indigo, svg: `<rect width="64" height="64" rx="14" fill="${hex(indigo)}"/>`, inside: (x, y, square) => roundedSquare(x, y, square ? 0 : 14) },
  {
    colour: white,
    svg: `<circle cx="32" cy="32" r="${orbit.r}" fill="none" stroke="${hex(white)}" stroke-width="${orbit.width}"/>`,
    inside: (x, y) => Math.abs(Math.hypot(x - 32, y - 32) - orbit.r) <= orbit.width / 2,
  },
  { colour: white, svg: `<circle cx="32" cy="32" r="7" fill="${hex(white)}"/>`, inside: (x, y) => Math.hypot(x - 32, y - 32) <= 7 },
  {
    colour: indigo,
    svg: `<circle cx="${planet.x.toFixed(2)}" cy="${planet.y.toFixed(2)}" r="${planet.r}" fill="${hex(amber)}" stroke="${hex(indigo)}" stroke-width="${planet.rim}"/>`,
    inside: (x, y) => Math.hypot(x - planet.x, y - planet.y) <= planet.r + planet.rim / 2,
  },
  { colour: amber, svg: '', inside: (x, y) => Math.hypot(x - planet.x, y - planet.y) <= planet.r - planet.rim / 2 },
];

function roundedSquare(x, y, radius) {
  if (x < 0 || y < 0 || x > size || y > size) return false;
  const cx = Math.min(Math.max(x, radius), size - radius);
  const cy = Math.min(Math.max(y, radius), size - radius);
  return Math.hypot(x - cx, y - cy) <= radius;
}

/** RGBA pixels of the icon at `px` × `px`, 4 × 4 samples per pixel. */
function rasterize(px, square) {
  const pixels = Buffer.alloc(px * px * 4);
  const n = 4;
  for (let row = 0; row < px; row++) {
    for (let col = 0; col < px; col++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const x = ((col + (sx + 0.5) / n) * size) / px;
          const y = ((row + (sy + 0.5) / n) * size) / px;
          let colour = null;
          for (const shape of shapes) if (shape.inside(x, y, square)) colour = shape.colour;
          if (!colour) continue;
          sum[0] += colour[0];
          sum[1] += colour[1];
          sum[2] += colour[2];
          sum[3] += 1;
        }
      }
      const at = (row * px + col) * 4;
      if (sum[3] === 0) continue;
      pixels[at] = Math.round(sum[0] / sum[3]);
      pixels[at + 1] = Math.round(sum[1] / sum[3]);
      pixels[at + 2] = Math.round(sum[2] / sum[3]);
      pixels[at + 3] = Math.round((255 * sum[3]) / (n * n));
    }
  }
  return pixels;
}

const crcTable = Array.from({ length: 256 }, (_, i) => {
  let c = i;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(px, square = false) {
  const pixels = rasterize(px, square);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(px, 0);
  header.writeUInt32BE(px, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const rows = Buffer.alloc(px * (px * 4 + 1));
  for (let row = 0; row < px; row++) pixels.copy(rows, row * (px * 4 + 1) + 1, row * px * 4, (row + 1) * px * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function ico(sizes) {
  const images = sizes.map((px) => png(px));
  const directory = Buffer.alloc(6 + 16 * sizes.length);
  directory.writeUInt16LE(1, 2); // type: icon
  directory.writeUInt16LE(sizes.length, 4);
  let offset = directory.length;
  sizes.forEach((px, i) => {
    const entry = 6 + 16 * i;
    directory.writeUInt8(px % 256, entry);
    directory.writeUInt8(px % 256, entry + 1);
    directory.writeUInt16LE(1, entry + 4); // colour planes
    directory.writeUInt16LE(32, entry + 6); // bits per pixel
    directory.writeUInt32LE(images[i].length, entry + 8);
    directory.writeUInt32LE(offset, entry + 12);
    offset += images[i].length;
  });
  return Buffer.concat([directory, ...images]);
}

const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}">${shapes.map((s) => s.svg).join('')}</svg>\n`;
const outputs = { 'app/icon.svg': Buffer.from(svg), 'app/favicon.ico': ico([16, 32, 48]), 'app/apple-icon.png': png(180, true) }; // home screens round the corners themselves
for (const [file, data] of Object.entries(outputs)) {
  fs.writeFileSync(path.join(root, file), data);
  console.log(`wrote ${file} (${data.length} bytes)`);
}
