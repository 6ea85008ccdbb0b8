import { describe, expect, it } from 'vitest';
import { brandFit, CLASH_BELOW, EMOTION_AFFINITY, FITS_FROM } from '../../lambdas/core/brand-fit.js';
import { Emotion } from '../../lambdas/core/model.js';

describe('brandFit', () => {
  it('says a theme matching the brand’s primary emotion fits perfectly', () => {
    for (const emotion of Emotion.options)
      expect(brandFit({ primaryEmotion: emotion, secondaryEmotions: [] }, emotion)).toMatchObject({
        score: 1,
        verdict: 'fits',
      });
  });

  it('flags "selected" on a community-first grocery brand as a clash that needs an override', () => {
    const fit = brandFit({ primaryEmotion: 'community', secondaryEmotions: ['care'] }, 'selected');
    expect(fit.verdict).toBe('clash');
    expect(fit.score).toBeLessThan(CLASH_BELOW);
    expect(fit.message).toContain('brandFitOverride');
  });

  it('lets a secondary emotion carry a theme the primary one would not', () => {
    const plain = brandFit({ primaryEmotion: 'community', secondaryEmotions: [] }, 'selected');
    const withSelected = brandFit({ primaryEmotion: 'community', secondaryEmotions: ['selected'] }, 'selected');
    expect(plain.verdict).toBe('clash');
    expect(withSelected.verdict).toBe('fits');
    expect(withSelected.score).toBeLessThan(1);
  });

  it('has a full table: every emotion to every emotion, 1 on the diagonal, in 0–1 elsewhere', () => {
    for (const row of Emotion.options) {
      for (const column of Emotion.options) {
        const value = EMOTION_AFFINITY[row][column];
        if (row === column) expect(value).toBe(1);
        else expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThan(row === column ? 1.01 : 1);
      }
    }
    expect(FITS_FROM).toBeGreaterThan(CLASH_BELOW);
  });

  it('calls a middling match a stretch, not a clash', () => {
    expect(brandFit({ primaryEmotion: 'curiosity', secondaryEmotions: [] }, 'vitality').verdict).toBe('stretch');
  });
});
