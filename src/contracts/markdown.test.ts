import { describe, expect, it } from 'vitest';
import { parseMarkdown, safeHref } from './markdown.js';

describe('the privacy policy Markdown', () => {
  it('parses headings, paragraphs, lists and inline marks', () => {
    expect(parseMarkdown('# Title\n\nWe keep **little**,\nand *less*.\n\n- one\n- `two`\n\n1. first\n2. [site](https://example.org)')).toEqual([
      { type: 'heading', level: 1, children: [{ type: 'text', text: 'Title' }] },
      {
        type: 'paragraph',
        children: [
          { type: 'text', text: 'We keep ' },
          { type: 'strong', children: [{ type: 'text', text: 'little' }] },
          { type: 'text', text: ', and ' },
          { type: 'em', children: [{ type: 'text', text: 'less' }] },
          { type: 'text', text: '.' },
        ],
      },
      { type: 'list', ordered: false, items: [[{ type: 'text', text: 'one' }], [{ type: 'code', text: 'two' }]] },
      {
        type: 'list',
        ordered: true,
        items: [[{ type: 'text', text: 'first' }], [{ type: 'link', href: 'https://example.org', children: [{ type: 'text', text: 'site' }] }]],
      },
    ]);
  });

  it('keeps raw HTML as text and drops unsafe link addresses', () => {
    expect(parseMarkdown('<script>alert(1)</script> [x](javascript:alert(1))')).toEqual([
      { type: 'paragraph', children: [{ type: 'text', text: '<script>alert(1)</script> ' }, { type: 'text', text: '[x](javascript:alert(1)' }, { type: 'text', text: ')' }] },
    ]);
    expect(safeHref('mailto:privacy@example.org')).toBe('mailto:privacy@example.org');
    expect(safeHref('data:text/html,x')).toBeNull();
  });
});
