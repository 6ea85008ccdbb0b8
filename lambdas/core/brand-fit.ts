import type { BrandProfile, Emotion } from './model.js';

/**
 * How well a campaign's emotional theme fits the club's brand. A grocery chain that stands for
 * community should not mail "exclusive, only for the selected few"; a luxury store can celebrate,
 * but "your neighbourhood" undersells it. The table says how naturally a brand built on the row's
 * emotion can speak in the column's (1 = the same feeling). Judgement, written down so marketers
 * can see and argue with it: docs/decisions/0007-themes-and-mail.md.
 */
export const EMOTION_AFFINITY: Readonly<Record<Emotion, Readonly<Record<Emotion, number>>>> = {
  community: { community: 1, care: 0.7, celebration: 0.7, vitality: 0.5, curiosity: 0.5, selected: 0.1 },
  selected: { selected: 1, celebration: 0.6, curiosity: 0.5, care: 0.4, vitality: 0.4, community: 0.3 },
  vitality: { vitality: 1, community: 0.6, celebration: 0.6, care: 0.5, curiosity: 0.4, selected: 0.3 },
  curiosity: { curiosity: 1, care: 0.6, community: 0.5, celebration: 0.5, selected: 0.5, vitality: 0.4 },
  care: { care: 1, community: 0.7, curiosity: 0.6, celebration: 0.5, vitality: 0.5, selected: 0.3 },
  celebration: { celebration: 1, community: 0.7, selected: 0.6, vitality: 0.6, care: 0.5, curiosity: 0.5 },
};

/** A secondary emotion counts a little less than the primary one. */
const SECONDARY_WEIGHT = 0.85;
/** At or above: the theme fits. Below CLASH_BELOW: a clash that needs an explicit override to schedule. */
export const FITS_FROM = 0.6;
export const CLASH_BELOW = 0.35;

export interface BrandFit {
  readonly score: number;
  readonly verdict: 'fits' | 'stretch' | 'clash';
  readonly message: string;
}

export function brandFit(brand: Pick<BrandProfile, 'primaryEmotion' | 'secondaryEmotions'>, theme: Emotion): BrandFit {
  const fromPrimary = EMOTION_AFFINITY[brand.primaryEmotion][theme];
  const fromSecondary = Math.max(
    0,
    ...brand.secondaryEmotions.map((e) => SECONDARY_WEIGHT * EMOTION_AFFINITY[e][theme]),
  );
  const score = Math.round(Math.max(fromPrimary, fromSecondary) * 100) / 100;
  const brandWords = [brand.primaryEmotion, ...brand.secondaryEmotions].join(', ');
  if (score >= FITS_FROM)
    return { score, verdict: 'fits', message: `"${theme}" fits a brand that stands for ${brandWords}.` };
  if (score >= CLASH_BELOW) {
    return {
      score,
      verdict: 'stretch',
      message: `"${theme}" is a stretch for a brand that stands for ${brandWords}; check the copy.`,
    };
  }
  return {
    score,
    verdict: 'clash',
    message: `"${theme}" clashes with a brand that stands for ${brandWords}. Scheduling needs "brandFitOverride": true.`,
  };
}
