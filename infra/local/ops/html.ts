// HTML helpers for the ops view: everything rendered goes through escapeHtml, and every page
// shares one layout and one stylesheet (inline, so the view works with no other request and no JS).

export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A tagged template that escapes every interpolated value unless it is already `Html`. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export function raw(value: string): Html {
  return new Html(value);
}

type Part = string | number | boolean | null | undefined | Html | Part[];

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (Array.isArray(part)) return part.map(render).join('');
  if (part instanceof Html) return part.value;
  return escapeHtml(part);
}

export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = '';
  strings.forEach((s, i) => {
    out += s;
    if (i < values.length) out += render(values[i]);
  });
  return new Html(out);
}

const STYLES = `
:root { color-scheme: light; --fg:#1b1f24; --muted:#57606a; --line:#d0d7de; --bg:#fff; --soft:#f6f8fa;
  --blue:#0550ae; --blue-soft:#ddf4ff; --amber:#7d4e00; --amber-soft:#fff8c5; --red:#a40e26; --red-soft:#ffebe9;
  --green:#116329; --green-soft:#dafbe1; --grey-soft:#eaeef2; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; color:var(--fg); background:var(--bg); }
header.top { display:flex; gap:1.5rem; align-items:center; padding:.6rem 1.5rem; border-bottom:1px solid var(--line); background:var(--soft); }
header.top a { color:var(--fg); font-weight:600; text-decoration:none; }
main { padding:1rem 1.5rem 3rem; max-width:1400px; }
h1 { font-size:1.4rem; margin:.4rem 0 1rem; } h2 { font-size:1.1rem; margin:2rem 0 .6rem; border-bottom:1px solid var(--line); padding-bottom:.3rem; }
a { color:var(--blue); }
table { border-collapse:collapse; width:100%; }
th, td { text-align:left; padding:.4rem .6rem; border-bottom:1px solid var(--line); vertical-align:top; }
th { background:var(--soft); font-weight:600; white-space:nowrap; }
td.num, th.num { text-align:right; }
code, pre { font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; font-size:12.5px; }
pre { background:var(--soft); border:1px solid var(--line); padding:.5rem .7rem; overflow:auto; max-height:24rem; margin:.3rem 0; white-space:pre-wrap; word-break:break-word; }
.badge { display:inline-block; padding:.05rem .5rem; border-radius:1rem; font-size:12px; font-weight:600; border:1px solid transparent; white-space:nowrap; }
.badge.received, .badge.in-progress, .badge.running, .badge.waiting { background:var(--amber-soft); color:var(--amber); border-color:#d4a72c; }
.badge.completed, .badge.succeeded { background:var(--green-soft); color:var(--green); border-color:#4ac26b; }
.badge.failed, .badge.timed-out { background:var(--red-soft); color:var(--red); border-color:#ff8182; }
.badge.cancelled, .badge.expired, .badge.aborted, .badge.not-started { background:var(--grey-soft); color:#24292f; border-color:#afb8c1; }
.muted { color:var(--muted); }
form.filters { display:flex; flex-wrap:wrap; gap:.8rem; align-items:end; margin:0 0 1rem; }
form.filters label { display:flex; flex-direction:column; font-weight:600; font-size:13px; gap:.2rem; }
input[type=text], input[type=search], select, textarea { font:inherit; padding:.35rem .5rem; border:1px solid #8c959f; border-radius:6px; min-width:14rem; }
button, .button { font:inherit; font-weight:600; padding:.4rem .9rem; border-radius:6px; border:1px solid #8c959f; background:var(--soft); color:var(--fg); cursor:pointer; text-decoration:none; display:inline-block; }
button.danger { background:var(--red); color:#fff; border-color:var(--red); }
button.primary { background:var(--blue); color:#fff; border-color:var(--blue); }
:focus-visible { outline:3px solid #0969da; outline-offset:2px; }
.facts { display:grid; grid-template-columns:repeat(auto-fit,minmax(16rem,1fr)); gap:.8rem; margin:0 0 1rem; }
.fact { border:1px solid var(--line); border-radius:8px; padding:.6rem .8rem; background:var(--bg); }
.fact h3 { margin:0 0 .3rem; font-size:12px; text-transform:uppercase; letter-spacing:.04em; color:var(--muted); }
.fact p { margin:.1rem 0; }
.fact.alert { border-color:#ff8182; background:var(--red-soft); }
.fact.wait { border-color:#d4a72c; background:var(--amber-soft); }
.fact.done { border-color:#4ac26b; background:var(--green-soft); }
.actions { display:flex; flex-wrap:wrap; gap:1rem; margin:.5rem 0 1rem; }
.actions form { border:1px solid var(--line); border-radius:8px; padding:.6rem .8rem; display:flex; flex-direction:column; gap:.4rem; max-width:26rem; }
.actions form p { margin:0; }
.notice { padding:.6rem .8rem; border-radius:8px; margin:0 0 1rem; border:1px solid; }
.notice.ok { background:var(--green-soft); border-color:#4ac26b; }
.notice.error { background:var(--red-soft); border-color:#ff8182; }
details > summary { cursor:pointer; color:var(--blue); }
tr.step-failed td { background:var(--red-soft); }
tr.step-running td { background:var(--amber-soft); }
.graph-wrap { overflow:auto; border:1px solid var(--line); border-radius:8px; background:#fff; padding:.5rem; }
.legend { display:flex; flex-wrap:wrap; gap:1rem; font-size:13px; margin:.4rem 0; padding:0; list-style:none; }
.legend span.swatch { display:inline-block; width:1rem; height:.8rem; border:2px solid; border-radius:3px; vertical-align:middle; margin-right:.3rem; }
.asl-graph text { font:12px system-ui,sans-serif; fill:#57606a; }
.asl-graph .state rect { fill:#fff; stroke:#afb8c1; stroke-width:1.2; }
.asl-graph .state.visited rect { fill:#ddf4ff; stroke:#0969da; stroke-width:1.6; }
.asl-graph .state.visited text, .asl-graph .state.current text, .asl-graph .state.failed text { fill:#1b1f24; font-weight:600; }
.asl-graph .state.current rect { fill:#fff8c5; stroke:#bf8700; stroke-width:3; }
.asl-graph .state.failed rect { fill:#ffebe9; stroke:#cf222e; stroke-width:3; }
.asl-graph .state.choice rect { stroke-dasharray:5 3; }
.asl-graph .state.group rect { fill:#f6f8fa; stroke:#8c959f; stroke-dasharray:4 3; }
.asl-graph .state.group.visited rect { fill:#f3f9ff; stroke:#0969da; }
.asl-graph .state.group.current rect { fill:#fffdf0; stroke:#bf8700; stroke-width:2; }
.asl-graph .state.group.failed rect { fill:#fff5f5; stroke:#cf222e; stroke-width:2; }
.asl-graph .person { fill:#57606a; } .asl-graph .current .person, .asl-graph .visited .person { fill:#1b1f24; }
.asl-graph .group-label { font-weight:600; fill:#24292f; }
.asl-graph .edge { fill:none; stroke:#afb8c1; stroke-width:1.1; }
.asl-graph .edge.catch { stroke:#d0d7de; stroke-dasharray:3 3; opacity:.7; }
.asl-graph .edge.taken { stroke:#0969da; stroke-width:2.4; opacity:1; stroke-dasharray:none; }
.asl-graph .arrow-plain { fill:#afb8c1; } .asl-graph .arrow-catch { fill:#d0d7de; } .asl-graph .arrow-taken { fill:#0969da; }
.nowrap { white-space:nowrap; }
/* Webex ids are 80-odd characters with no break opportunity: let them wrap anywhere rather than widen the page. */
.wrap-ids, .fact { overflow-wrap:anywhere; }
.sr-only { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); }
`;

export function page(
  title: string,
  body: Html,
  opts: { status?: number } = {},
): {
  status: number;
  headers: Record<string, string>;
  body: string;
} {
  const doc = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>${title} · Provisioning ops</title>
        <style>
          ${raw(STYLES)}
        </style>
      </head>
      <body>
        <header class="top">
          <a href="/ops">Provisioning ops</a>
          <nav aria-label="Sections"><a href="/ops">Runs</a> · <a href="/ops/events">Events</a></nav>
        </header>
        <main>${body}</main>
      </body>
    </html>`;
  return {
    status: opts.status ?? 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'content-security-policy':
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    },
    body: doc.value,
  };
}

/**
 * The filter bar of a list page (runs, events): a search box and one select, "Find", and "Clear"
 * back to the unfiltered list when a filter is on.
 */
export function filterForm(o: {
  action: string;
  search: { name: string; label: string; value: string | undefined };
  select: { name: string; label: string; options: Html | Html[] };
  filtered: boolean;
}): Html {
  return html`<form class="filters" method="get" action="${o.action}" role="search">
    <label for="${o.search.name}"
      >${o.search.label}
      <input
        type="search"
        id="${o.search.name}"
        name="${o.search.name}"
        value="${o.search.value ?? ''}"
        autocomplete="off"
        spellcheck="false"
      />
    </label>
    <label for="${o.select.name}"
      >${o.select.label}
      <select id="${o.select.name}" name="${o.select.name}">
        ${o.select.options}
      </select>
    </label>
    <button type="submit" class="primary">Find</button>
    ${o.filtered ? html`<a class="button" href="${o.action}">Clear</a>` : ''}
  </form>`;
}
