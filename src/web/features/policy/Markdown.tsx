/** Renders the privacy policy's Markdown subset as React elements: no HTML is ever interpreted. */
import { Anchor, Code, List, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { parseMarkdown, type Inline } from '../../../contracts/markdown.js';

function inline(nodes: Inline[]): ReactNode[] {
  return nodes.map((n, i) => {
    switch (n.type) {
      case 'text':
        return n.text;
      case 'strong':
        return <strong key={i}>{inline(n.children)}</strong>;
      case 'em':
        return <em key={i}>{inline(n.children)}</em>;
      case 'code':
        return <Code key={i}>{n.text}</Code>;
      case 'link':
        return (
          <Anchor key={i} href={n.href} rel="noopener noreferrer">
            {inline(n.children)}
          </Anchor>
        );
    }
  });
}

/** `headingOffset`: the page's own title is h1, so the policy's # becomes h2. */
export function Markdown({ source, headingOffset = 1, lang }: { source: string; headingOffset?: number; lang?: string }) {
  return (
    <div lang={lang}>
      {parseMarkdown(source).map((b, i) => {
        if (b.type === 'heading') {
          const order = Math.min(6, b.level + headingOffset) as 2 | 3 | 4 | 5 | 6;
          return (
            <Title key={i} order={order} mt="md" mb="xs">
              {inline(b.children)}
            </Title>
          );
        }
        if (b.type === 'list')
          return (
            <List key={i} type={b.ordered ? 'ordered' : 'unordered'} mb="sm">
              {b.items.map((item, j) => (
                <List.Item key={j}>{inline(item)}</List.Item>
              ))}
            </List>
          );
        return (
          <Text key={i} mb="sm">
            {inline(b.children)}
          </Text>
        );
      })}
    </div>
  );
}
