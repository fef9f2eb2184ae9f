import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { escapeHtml } from './html';

// Draws the state machine from its ASL definition, top to bottom, the way the Step Functions
// console's graph reads: one box per state, following Next / Choices / Default / Catch, with a
// Map state's inner states grouped inside it. The definition file is the single source of truth,
// so the drawing never goes stale when a step is added.

interface AslMachine {
  StartAt: string;
  States: Record<string, AslState>;
}
interface AslState {
  Type: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Resource?: string;
  Choices?: { Next: string }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  ItemProcessor?: AslMachine;
  Iterator?: AslMachine;
}

const machineSchema: z.ZodType<AslMachine> = z.lazy(() =>
  z.object({
    StartAt: z.string().min(1),
    States: z.record(z.string(), stateSchema),
  }),
);
const stateSchema: z.ZodType<AslState> = z.lazy(() =>
  z.object({
    Type: z.string().min(1),
    Next: z.string().optional(),
    End: z.boolean().optional(),
    Default: z.string().optional(),
    Resource: z.string().optional(),
    Choices: z.array(z.object({ Next: z.string() })).optional(),
    Catch: z.array(z.object({ ErrorEquals: z.array(z.string()), Next: z.string() })).optional(),
    ItemProcessor: machineSchema.optional(),
    Iterator: machineSchema.optional(),
  }),
);

export type AslDefinition = AslMachine;

export function parseAsl(json: string): AslDefinition {
  return machineSchema.parse(JSON.parse(json));
}

let cachedDefinition: AslDefinition | undefined;
/** The repository's state machine definition, read once. */
export function loadProvisioningAsl(): AslDefinition {
  cachedDefinition ??= parseAsl(
    readFileSync(new URL('../../../statemachines/provisioning.asl.json', import.meta.url), 'utf8'),
  );
  return cachedDefinition;
}

export type EdgeKind = 'next' | 'choice' | 'default' | 'catch';

export interface GraphNode {
  name: string;
  type: string;
  /** True for `.waitForTaskToken` tasks: the run waits for a person there. */
  waitsForPerson: boolean;
  /** The Map state that contains this state, if any. */
  parent?: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface GraphEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  /** The edge goes back up (a loop: reminder → wait again, hand-off → ask again). */
  back: boolean;
}

export interface GraphLayout {
  nodes: GraphNode[];
  edges: GraphEdge[];
  width: number;
  height: number;
}

/** Every state name of the definition, inner states included. */
export function allStateNames(def: AslDefinition): string[] {
  const names: string[] = [];
  for (const [name, state] of Object.entries(def.States)) {
    names.push(name);
    const inner = state.ItemProcessor ?? state.Iterator;
    if (inner) names.push(...allStateNames(inner));
  }
  return names;
}

/** The names of the callback (waiting) states, with the step id their Payload names when it is a constant. */
export function waitingStates(def: AslDefinition): string[] {
  const out: string[] = [];
  for (const [name, state] of Object.entries(def.States)) {
    if (isCallback(state)) out.push(name);
    const inner = state.ItemProcessor ?? state.Iterator;
    if (inner) out.push(...waitingStates(inner));
  }
  return out;
}

/** The Map state that contains `name`, if it is an inner state. */
export function containingMap(def: AslDefinition, name: string): string | undefined {
  for (const [outer, state] of Object.entries(def.States)) {
    const inner = state.ItemProcessor ?? state.Iterator;
    if (!inner) continue;
    if (name in inner.States) return outer;
    const deeper = containingMap(inner, name);
    if (deeper) return deeper;
  }
  return undefined;
}

function isCallback(state: AslState): boolean {
  return state.Type === 'Task' && (state.Resource ?? '').endsWith('.waitForTaskToken');
}

function outgoing(state: AslState): { to: string; kind: EdgeKind }[] {
  const out: { to: string; kind: EdgeKind }[] = [];
  if (state.Next) out.push({ to: state.Next, kind: 'next' });
  for (const choice of state.Choices ?? []) out.push({ to: choice.Next, kind: 'choice' });
  if (state.Default) out.push({ to: state.Default, kind: 'default' });
  for (const c of state.Catch ?? []) out.push({ to: c.Next, kind: 'catch' });
  return out;
}

const NODE_HEIGHT = 34;
const ROW_GAP = 34;
const COL_GAP = 22;
const GROUP_PAD = 14;
const GROUP_HEADER = 26;
const CHAR_WIDTH = 6.6;

function nodeWidth(name: string): number {
  return Math.max(130, Math.min(260, Math.round(name.length * CHAR_WIDTH + 40)));
}

interface Block {
  nodes: GraphNode[];
  edges: GraphEdge[];
  width: number;
  height: number;
}

/**
 * Lays out one machine (or a Map's inner machine): rank = longest path from StartAt over the
 * forward edges (DFS back edges are loops and do not push a state down), rows centred, and
 * within a row the states ordered by where their parents sit, so the main path stays left.
 */
function layoutMachine(machine: AslMachine, parent?: string): Block {
  const names = Object.keys(machine.States);
  const edges: GraphEdge[] = [];
  const onStack = new Set<string>();
  const seen = new Set<string>();
  const postorder: string[] = [];
  const discovery = new Map<string, number>();

  const visit = (name: string) => {
    const state = machine.States[name];
    if (!state || seen.has(name)) return;
    seen.add(name);
    discovery.set(name, discovery.size);
    onStack.add(name);
    // Normal transitions first so the happy path is discovered (and placed) before error paths.
    const outs = outgoing(state).sort((a, b) => Number(a.kind === 'catch') - Number(b.kind === 'catch'));
    for (const { to, kind } of outs) {
      if (!machine.States[to]) continue;
      const back = onStack.has(to);
      if (!edges.some((e) => e.from === name && e.to === to)) edges.push({ from: name, to, kind, back });
      if (!back) visit(to);
    }
    onStack.delete(name);
    postorder.push(name);
  };
  visit(machine.StartAt);
  for (const name of names) visit(name);

  // A state reached both forward and (in DFS order) backward is still a forward edge if the
  // target was finished before: only edges to a state on the stack are loops.
  const rank = new Map<string, number>(names.map((n) => [n, 0]));
  for (const name of [...postorder].reverse()) {
    for (const e of edges) {
      if (e.from !== name || e.back) continue;
      rank.set(e.to, Math.max(rank.get(e.to) ?? 0, (rank.get(name) ?? 0) + 1));
    }
  }

  // Build each state's box; a Map's box is its inner block plus a header.
  const inner = new Map<string, Block>();
  const sizes = new Map<string, { w: number; h: number }>();
  for (const name of names) {
    const state = machine.States[name] as AslState;
    const sub = state.ItemProcessor ?? state.Iterator;
    if (sub) {
      const block = layoutMachine(sub, name);
      inner.set(name, block);
      sizes.set(name, {
        w: Math.max(nodeWidth(name), block.width + GROUP_PAD * 2),
        h: block.height + GROUP_HEADER + GROUP_PAD,
      });
    } else {
      sizes.set(name, { w: nodeWidth(name), h: NODE_HEIGHT });
    }
  }

  const rows: string[][] = [];
  for (const name of names) {
    const r = rank.get(name) ?? 0;
    (rows[r] ??= []).push(name);
  }
  const order = new Map<string, number>();
  const rowsFilled = rows.map((row) => row ?? []);
  rowsFilled.forEach((row, r) => {
    const score = (name: string) => {
      const parents = edges.filter((e) => e.to === name && !e.back && (rank.get(e.from) ?? 0) < r);
      const main = parents.filter((e) => e.kind !== 'catch');
      const use = main.length > 0 ? main : parents;
      if (use.length === 0) return discovery.get(name) ?? 0;
      return use.reduce((s, e) => s + (order.get(e.from) ?? 0), 0) / use.length;
    };
    row.sort((a, b) => score(a) - score(b) || (discovery.get(a) ?? 0) - (discovery.get(b) ?? 0));
    row.forEach((name, i) => order.set(name, i));
  });

  const rowWidths = rowsFilled.map(
    (row) => row.reduce((s, n) => s + (sizes.get(n)?.w ?? 0), 0) + Math.max(0, row.length - 1) * COL_GAP,
  );
  const width = Math.max(0, ...rowWidths);
  const nodes: GraphNode[] = [];
  const innerEdges: GraphEdge[] = [];
  let y = 0;
  rowsFilled.forEach((row, r) => {
    const rowHeight = Math.max(0, ...row.map((n) => sizes.get(n)?.h ?? 0));
    let x = (width - (rowWidths[r] ?? 0)) / 2;
    for (const name of row) {
      const size = sizes.get(name) ?? { w: 0, h: 0 };
      const state = machine.States[name] as AslState;
      nodes.push({
        name,
        type: state.Type,
        waitsForPerson: isCallback(state),
        parent,
        x,
        y,
        width: size.w,
        height: size.h,
      });
      const block = inner.get(name);
      if (block) {
        const dx = x + (size.w - block.width) / 2;
        const dy = y + GROUP_HEADER;
        for (const n of block.nodes) nodes.push({ ...n, x: n.x + dx, y: n.y + dy });
        innerEdges.push(...block.edges);
      }
      x += size.w + COL_GAP;
    }
    y += rowHeight + ROW_GAP;
  });
  return { nodes, edges: [...edges, ...innerEdges], width, height: Math.max(0, y - ROW_GAP) };
}

export function layoutStateMachine(def: AslDefinition): GraphLayout {
  const margin = 16;
  const block = layoutMachine(def);
  // Loops are drawn to the right of the boxes: leave room for them.
  const loopRoom = 70;
  return {
    nodes: block.nodes.map((n) => ({ ...n, x: n.x + margin, y: n.y + margin })),
    edges: block.edges,
    width: Math.ceil(block.width + margin * 2 + loopRoom),
    height: Math.ceil(block.height + margin * 2),
  };
}

export interface PathHighlight {
  /** States the run entered at least once. */
  visited: ReadonlySet<string>;
  /** Transitions the run took, as `from → to` pairs. */
  taken: ReadonlySet<string>;
  /** States the run is in now (several while Map iterations wait in parallel). */
  current: ReadonlySet<string>;
  /** The state that failed the run. */
  failed: ReadonlySet<string>;
}

export function transitionKey(from: string, to: string): string {
  return `${from} → ${to}`;
}

type NodeStatus = 'current' | 'failed' | 'visited' | 'not-visited';

function statusOf(name: string, h: PathHighlight): NodeStatus {
  if (h.failed.has(name)) return 'failed';
  if (h.current.has(name)) return 'current';
  if (h.visited.has(name)) return 'visited';
  return 'not-visited';
}

const STATUS_TEXT: Record<NodeStatus, string> = {
  current: 'current step',
  failed: 'failed here',
  visited: 'passed',
  'not-visited': 'not reached',
};

/**
 * The SVG of the state machine with the run's path drawn over it. Text is escaped; the picture
 * has a title and each state a tooltip naming its status, and the page lists the same facts as
 * text, so nothing is only said in colour.
 */
export function renderStateMachineSvg(def: AslDefinition, highlight: PathHighlight, title: string): string {
  const layout = layoutStateMachine(def);
  const byName = new Map(layout.nodes.map((n) => [n.name, n]));
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="asl-graph" role="img" aria-labelledby="asl-title" ` +
      `viewBox="0 0 ${layout.width} ${layout.height}" width="${layout.width}" height="${layout.height}">`,
    `<title id="asl-title">${escapeHtml(title)}</title>`,
    '<defs>',
    ...(['plain', 'taken', 'catch'] as const).map(
      (m) =>
        `<marker id="arrow-${m}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse">` +
        `<path d="M0,0 L10,5 L0,10 z" class="arrow-${m}"/></marker>`,
    ),
    '</defs>',
  );

  // Map groups first so their boxes sit under the inner states.
  const groups = layout.nodes.filter((n) => n.type === 'Map');
  for (const g of groups) {
    const status = statusOf(g.name, highlight);
    parts.push(
      `<g class="state group ${status}" data-state="${escapeHtml(g.name)}">` +
        `<title>${escapeHtml(`${g.name} (Map: one iteration per purchased service) — ${STATUS_TEXT[status]}`)}</title>` +
        `<rect x="${g.x}" y="${g.y}" width="${g.width}" height="${g.height}" rx="10"/>` +
        `<text x="${g.x + 10}" y="${g.y + 17}" class="group-label">${escapeHtml(g.name)} · for each service</text></g>`,
    );
  }

  const edgeParts: string[] = [];
  for (const e of layout.edges) {
    const a = byName.get(e.from);
    const b = byName.get(e.to);
    if (!a || !b) continue;
    const taken = highlight.taken.has(transitionKey(e.from, e.to));
    const cls = `edge ${e.kind}${taken ? ' taken' : ''}${e.back ? ' back' : ''}`;
    const marker = taken ? 'taken' : e.kind === 'catch' ? 'catch' : 'plain';
    let d: string;
    if (e.back || b.y <= a.y) {
      // A loop: leave from the right side, come back into the right side of the target.
      const sx = a.x + a.width;
      const sy = a.y + a.height / 2;
      const tx = b.x + b.width;
      const ty = b.y + b.height / 2;
      const bulge = Math.max(sx, tx) + 40;
      d = `M${sx},${sy} C${bulge},${sy} ${bulge},${ty} ${tx + 2},${ty}`;
    } else {
      const sx = a.x + a.width / 2;
      const sy = a.y + a.height;
      const tx = b.x + b.width / 2;
      const ty = b.y;
      const mid = (sy + ty) / 2;
      d = `M${sx},${sy} C${sx},${mid} ${tx},${mid} ${tx},${ty - 2}`;
    }
    edgeParts.push(
      `<path class="${cls}" d="${d}" marker-end="url(#arrow-${marker})"><title>${escapeHtml(
        `${e.from} → ${e.to}${e.kind === 'catch' ? ' (on error)' : ''}${taken ? ' — taken' : ''}`,
      )}</title></path>`,
    );
  }
  // Taken edges last so they draw over the faint ones.
  edgeParts.sort((x, y) => Number(x.includes(' taken')) - Number(y.includes(' taken')));
  parts.push(...edgeParts);

  for (const n of layout.nodes) {
    if (n.type === 'Map') continue;
    const status = statusOf(n.name, highlight);
    const shape = n.type === 'Choice' ? 'choice' : n.type === 'Fail' || n.type === 'Succeed' ? 'end' : 'task';
    const rx = shape === 'end' ? n.height / 2 : shape === 'choice' ? 2 : 6;
    // A person icon (drawn, not a glyph: fonts differ) marks the steps that wait for someone.
    const icon = n.waitsForPerson
      ? `<g class="person" aria-hidden="true"><circle cx="${n.x + 12}" cy="${n.y + n.height / 2 - 4}" r="3.2"/>` +
        `<path d="M${n.x + 6},${n.y + n.height / 2 + 7} a6,6 0 0 1 12,0 z"/></g>`
      : '';
    const label = n.name;
    const kind = n.waitsForPerson ? 'waits for a person' : n.type;
    parts.push(
      `<g class="state ${shape} ${status}${n.type === 'Fail' ? ' fail-state' : ''}" data-state="${escapeHtml(n.name)}">` +
        `<title>${escapeHtml(`${n.name} (${kind}) — ${STATUS_TEXT[status]}`)}</title>` +
        `<rect x="${n.x}" y="${n.y}" width="${n.width}" height="${n.height}" rx="${rx}"/>${icon}` +
        `<text x="${n.x + n.width / 2 + (n.waitsForPerson ? 7 : 0)}" y="${n.y + n.height / 2 + 4}" text-anchor="middle">${escapeHtml(label)}</text></g>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}
