import { describe, expect, it } from 'vitest';
import {
  checkTemplate,
  DEFAULT_TEMPLATE,
  MailTemplate,
  renderPart,
  SAMPLE_CONTEXT,
  TemplateError,
} from '../../lambdas/core/templates.js';

const messages = (template: MailTemplate) => checkTemplate(template).map((e) => e.message);

describe('mail templates (Liquid, failing closed)', () => {
  it('accepts the built-in templates', () => {
    expect(checkTemplate(DEFAULT_TEMPLATE)).toEqual([]);
  });

  it('names the part and line of a syntax error', () => {
    expect(messages({ html: '<p>Hi</p>\n<p>{{ member.first_name </p>' })).toEqual([
      'html line 2: output "{{ member.first_name </p>" not closed',
    ]);
  });

  it('refuses an unknown variable instead of rendering a hole', () => {
    expect(messages({ html: '<p>a</p>\n<p>b</p>\n<p>Hi {{ member.firstname }}</p>' })).toEqual([
      'html line 3: undefined variable: member.firstname',
    ]);
    expect(() => renderPart('subject', '{{ mebmer.first_name }}, hello', SAMPLE_CONTEXT)).toThrow(TemplateError);
  });

  it('refuses an unknown filter', () => {
    expect(messages({ text: '{{ member.first_name | shout }}' })).toEqual(['text line 1: undefined filter: shout']);
  });

  it('cannot read files, reach prototypes, loop forever or switch escaping off', () => {
    expect(messages({ html: "{% include '/etc/passwd' %}" })[0]).toMatch(/^html line 1: .*Failed to lookup/);
    expect(messages({ html: '{{ member.constructor }}' })).toEqual([
      'html line 1: undefined variable: member.constructor',
    ]);
    expect(messages({ html: '{% for i in (1..100000000) %}x{% endfor %}' })[0]).toMatch(/^html line 1: .*limit/);
    expect(messages({ html: '<p>\n{{ member.first_name | raw }}</p>' })).toEqual([
      'html line 2: the raw filter is not allowed: every value is escaped',
    ]);
  });

  it('escapes every value in HTML, whoever wrote it', () => {
    const html = renderPart('html', DEFAULT_TEMPLATE.html, {
      ...SAMPLE_CONTEXT,
      member: { first_name: '<img src=x onerror=alert(1)>' },
      copy: { ...SAMPLE_CONTEXT.copy, headline: 'Hi <b>{{ you }}</b> & "friends"' },
      offers: [{ name: '<script>alert(1)</script>', headline: '2 for 1', reason: "It's yours", valid_until: '' }],
    });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Hi &lt;b&gt;{{ you }}&lt;/b&gt; &amp; &#34;friends&#34;');
    expect(html).toContain('It&#39;s yours');
  });

  it('renders offers, an occasion’s fun fact, and the plain-text part', () => {
    const text = renderPart('text', DEFAULT_TEMPLATE.text, SAMPLE_CONTEXT);
    expect(text).toContain('* Milk: 2 for 1\n  You often buy Milk (Valid until 2030-01-01)');
    expect(text).toContain('A fun fact');
    const without = renderPart('text', DEFAULT_TEMPLATE.text, {
      ...SAMPLE_CONTEXT,
      occasion: { id: '', fun_fact: '', years_as_member: 0 },
    });
    expect(without).not.toContain('A fun fact');
  });

  it('limits template size in the schema', () => {
    expect(MailTemplate.safeParse({ html: 'x'.repeat(20_001) }).success).toBe(false);
    expect(MailTemplate.safeParse({ subject: '' }).success).toBe(false);
  });
});
