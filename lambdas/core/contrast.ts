/** WCAG 2.1 relative luminance of a #rrggbb colour. */
export function luminance(hex: string): number {
  const channel = (i: number) => {
    const v = Number.parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

/** WCAG contrast ratio, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
}

/** The text colour for a background: white if it reaches 4.5:1 (WCAG AA), else whichever of white and near-black reads better. */
export function textOn(background: string): string {
  const white = contrastRatio('#ffffff', background);
  return white >= 4.5 || white >= contrastRatio('#111111', background) ? '#ffffff' : '#111111';
}

/** `preferred` if it reads on `background` at 4.5:1, otherwise `fallback`. */
export function readable(preferred: string, background: string, fallback = '#111111'): string {
  return contrastRatio(preferred, background) >= 4.5 ? preferred : fallback;
}
