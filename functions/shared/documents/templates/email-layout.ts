import type { Language } from '../../domain/order.schema';
import { absoluteUrl, escapeHtml } from '../format';
import type { EmailContent } from './email-content';

// The one layout of every email: a table-based HTML part (what mail clients render reliably,
// inline styles only) and a plain-text part with the same words and the same link. Every value
// that reaches the HTML goes through escapeHtml here, and nowhere else.

export interface LayoutStrings {
  brand: string;
  greeting: string;
  linkFallback: string;
  signature: string;
  footer: string;
  automated: string;
}

const COLORS = {
  page: '#f3f4f6',
  card: '#ffffff',
  brand: '#0b3a63',
  text: '#1f2937',
  muted: '#6b7280',
  button: '#0a6ebd',
};
const FONT = "font-family:Arial,'Helvetica Neue',Helvetica,sans-serif;";

/** Longer words than this (Webex ids run to 80-odd characters) get break opportunities. */
const LONG_WORD = 24;
const WORD_PIECE = 12;

/**
 * A line with a break opportunity (<wbr>) every few characters of any very long word: a Webex id
 * would otherwise stretch the 600 px email (to 940 px), in clients that ignore CSS word breaking too.
 */
function breakable(line: string): string {
  return line
    .split(/(\s+)/)
    .map((word) => {
      if (word.length <= LONG_WORD) return escapeHtml(word);
      const pieces: string[] = [];
      for (let i = 0; i < word.length; i += WORD_PIECE)
        pieces.push(escapeHtml(word.slice(i, i + WORD_PIECE)));
      return pieces.join('<wbr>');
    })
    .join('');
}

/** Multi-line values (service lists) keep their lines. */
const htmlLines = (value: string) => value.split('\n').map(breakable).join('<br>');

const paragraph = (text: string) =>
  `<p style="margin:0 0 16px;${FONT}font-size:15px;line-height:22px;color:${COLORS.text};">${htmlLines(text)}</p>`;

export function renderHtml(content: EmailContent, strings: LayoutStrings, language: Language): string {
  const facts = content.facts.length
    ? `<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%" style="margin:0 0 20px;border-collapse:collapse;">
${content.facts
  .map(
    (f) => `<tr>
<td valign="top" style="padding:6px 12px 6px 0;${FONT}font-size:14px;line-height:20px;color:${COLORS.muted};white-space:nowrap;">${escapeHtml(f.label)}</td>
<td valign="top" style="padding:6px 0;${FONT}font-size:14px;line-height:20px;color:${COLORS.text};font-weight:bold;word-break:break-word;overflow-wrap:anywhere;">${htmlLines(f.value)}</td>
</tr>`,
  )
  .join('\n')}
</table>`
    : '';

  const action = content.action
    ? (() => {
        const href = escapeHtml(absoluteUrl(content.action.url));
        return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:4px 0 16px;">
<tr><td align="center" bgcolor="${COLORS.button}" style="border-radius:6px;background:${COLORS.button};">
<a href="${href}" target="_blank" rel="noopener" style="display:inline-block;padding:12px 28px;${FONT}font-size:16px;font-weight:bold;color:#ffffff;text-decoration:none;border-radius:6px;">${escapeHtml(content.action.label)}</a>
</td></tr>
</table>
<p style="margin:0 0 20px;${FONT}font-size:13px;line-height:19px;color:${COLORS.muted};">${escapeHtml(strings.linkFallback)}<br><a href="${href}" style="color:${COLORS.button};word-break:break-all;">${href}</a></p>`;
      })()
    : '';

  return `<!DOCTYPE html>
<html lang="${language}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${escapeHtml(content.subject)}</title>
</head>
<body style="margin:0;padding:0;background:${COLORS.page};">
<div style="display:none;max-height:0;overflow:hidden;opacity:0;">${escapeHtml(content.preheader)}</div>
<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%" style="background:${COLORS.page};">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="600" style="width:100%;max-width:600px;background:${COLORS.card};border-radius:8px;">
<tr><td style="padding:18px 32px;background:${COLORS.brand};border-radius:8px 8px 0 0;${FONT}font-size:15px;font-weight:bold;color:#ffffff;">${escapeHtml(strings.brand)}</td></tr>
<tr><td style="padding:28px 32px 12px;">
<h1 style="margin:0 0 20px;${FONT}font-size:22px;line-height:28px;color:${COLORS.text};">${escapeHtml(content.heading)}</h1>
${paragraph(strings.greeting)}
${content.intro.map(paragraph).join('\n')}
${facts}
${action}
${content.outro.map(paragraph).join('\n')}
${paragraph(strings.signature)}
</td></tr>
<tr><td style="padding:16px 32px 24px;border-top:1px solid #e5e7eb;${FONT}font-size:12px;line-height:18px;color:${COLORS.muted};">${escapeHtml(strings.footer)}<br>${escapeHtml(strings.automated)}</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
}

export function renderText(content: EmailContent, strings: LayoutStrings): string {
  const blocks: string[] = [`${content.heading}\n${'='.repeat(content.heading.length)}`, strings.greeting];
  blocks.push(...content.intro);
  if (content.facts.length) {
    blocks.push(
      content.facts
        .map((f) => {
          const lines = f.value.split('\n');
          // A list value (services) goes under its label, one item a line.
          return lines.length > 1
            ? [`${f.label}:`, ...lines.map((line) => `  - ${line}`)].join('\n')
            : `${f.label}: ${f.value}`;
        })
        .join('\n'),
    );
  }
  if (content.action) blocks.push(`${content.action.label}:\n${absoluteUrl(content.action.url)}`);
  blocks.push(...content.outro, strings.signature, `--\n${strings.footer}\n${strings.automated}`);
  return `${blocks.join('\n\n')}\n`;
}
