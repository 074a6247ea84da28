// colour-vision.js - can people with a colour-vision deficiency tell the page's colours apart?
//
// simulate() shows a colour as someone with protanopia, deuteranopia or tritanopia sees it
// (the full-severity matrices of Machado, Oliveira and Fernandes 2009, applied in linear RGB);
// distance() is the CIE 1976 colour difference (ΔE*ab) between two colours; worstPair() finds
// the two colours of a palette that come closest under normal vision or any of the three
// deficiencies. The palette test (tests/web/editor-units.test.mjs) holds every palette the
// charts use to a minimum distance, so a colour change cannot quietly make two series
// indistinguishable. Colours are '#rrggbb' or 'rgba(r, g, b, a)' (composited over `backdrop`).

const MATRICES = {
  protanopia: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998]],
  deuteranopia: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881]],
  tritanopia: [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
    [0.004733, 0.691367, 0.3039]],
};
export const VISIONS = ['normal', ...Object.keys(MATRICES)];

// [r, g, b] in 0..255, an rgba() colour composited over `backdrop`.
export function parseColour(text, backdrop = '#151923') {
  const hex = /^#([0-9a-f]{6})$/i.exec(text);
  if (hex) {
    const n = parseInt(hex[1], 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }
  const rgba = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*([\d.]+))?\s*\)$/.exec(text);
  if (!rgba) throw new Error(`not a colour: ${text}`);
  const alpha = rgba[4] === undefined ? 1 : Number(rgba[4]);
  const under = parseColour(backdrop);
  return [1, 2, 3].map((i, k) => Number(rgba[i]) * alpha + under[k] * (1 - alpha));
}

const toLinear = (c) => {
  const v = c / 255;
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
};
const fromLinear = (v) => {
  const c = Math.min(1, Math.max(0, v));
  return 255 * (c <= 0.0031308 ? c * 12.92 : 1.055 * c ** (1 / 2.4) - 0.055);
};

export function simulate(rgb, vision) {
  const m = MATRICES[vision];
  if (!m) return rgb;
  const lin = rgb.map(toLinear);
  return m.map((row) => fromLinear(row[0] * lin[0] + row[1] * lin[1] + row[2] * lin[2]));
}

function toLab(rgb) {
  const [r, g, b] = rgb.map(toLinear);
  const xyz = [
    (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
    0.2126 * r + 0.7152 * g + 0.0722 * b,
    (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883,
  ];
  const f = (t) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  const [fx, fy, fz] = xyz.map(f);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

export function distance(a, b) {
  const [la, lb] = [toLab(a), toLab(b)];
  return Math.hypot(la[0] - lb[0], la[1] - lb[1], la[2] - lb[2]);
}

// {a, b, vision, distance}: the closest two of `colours` ({name: colour}) over every vision.
export function worstPair(colours, backdrop = '#151923') {
  const entries = Object.entries(colours).map(([name, c]) => [name, parseColour(c, backdrop)]);
  let worst = null;
  for (const vision of VISIONS) {
    for (let i = 0; i < entries.length; i++) {
      for (let j = i + 1; j < entries.length; j++) {
        const d = distance(simulate(entries[i][1], vision), simulate(entries[j][1], vision));
        if (!worst || d < worst.distance) {
          worst = { a: entries[i][0], b: entries[j][0], vision, distance: d };
        }
      }
    }
  }
  return worst;
}
