import { describe, expect, it } from 'vitest';
import { html, trustedMarkup } from '../../lambdas/core/html.js';

describe('the core html tag', () => {
  it('escapes every interpolated text, in content and in attributes', () => {
    const name = `<script>alert("x")</script> & O'Neil`;
    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; O&#39;Neil">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; O&#39;Neil</p>',
    );
  });

  it('keeps markup made by the tag itself, and escapes text inside a list', () => {
    const items = ['a<b', 'c'].map((t) => html`<li>${t}</li>`);
    expect(html`<ul>${items}</ul>`.value).toBe('<ul><li>a&lt;b</li><li>c</li></ul>');
  });

  it('leaves out nothing-values and writes numbers as they are', () => {
    expect(html`${undefined}${null}${false}${3}`.value).toBe('3');
  });

  it('inserts trusted markup unchanged, and only when asked to', () => {
    expect(html`<div>${trustedMarkup('<b>ok</b>')}</div>`.value).toBe('<div><b>ok</b></div>');
    expect(html`<div>${'<b>ok</b>'}</div>`.value).toBe('<div>&lt;b&gt;ok&lt;/b&gt;</div>');
  });
});
