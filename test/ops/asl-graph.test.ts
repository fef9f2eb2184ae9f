import { describe, expect, it } from 'vitest';
import {
  allStateNames,
  containingMap,
  layoutStateMachine,
  loadProvisioningAsl,
  parseAsl,
  renderStateMachineSvg,
  transitionKey,
  type GraphNode,
} from '../../infra/local/ops/asl-graph';
import { traceRun } from '../../infra/local/ops/run-history';
import { failedHistory, waitingHistory } from './fixtures/history-builder';

const none = {
  visited: new Set<string>(),
  taken: new Set<string>(),
  current: new Set<string>(),
  failed: new Set<string>(),
};

function overlaps(a: GraphNode, b: GraphNode): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function stateClass(svg: string, name: string): string {
  const m = new RegExp(`<g class="([^"]*)" data-state="${name.replace(/[?]/g, '\\?')}"`).exec(svg);
  return m?.[1] ?? '';
}

describe('the state machine drawn from the ASL', () => {
  const def = loadProvisioningAsl();

  it('draws every state of the definition, the Map inner states included', () => {
    const svg = renderStateMachineSvg(def, none, 'graph');
    const names = allStateNames(def);
    expect(names).toContain('Provision Webex Calling');
    for (const name of names) {
      expect(svg, name).toContain(`data-state="${name.replace(/"/g, '&quot;')}"`);
    }
  });

  it('lays states out top to bottom without overlaps, inner states inside their Map', () => {
    const layout = layoutStateMachine(def);
    const top = layout.nodes.filter((n) => !n.parent);
    const byName = new Map(layout.nodes.map((n) => [n.name, n]));
    for (const [i, a] of top.entries())
      for (const b of top.slice(i + 1)) expect(overlaps(a, b), `${a.name}/${b.name}`).toBe(false);
    const map = byName.get('Set up services')!;
    for (const inner of layout.nodes.filter((n) => n.parent === 'Set up services')) {
      expect(inner.x).toBeGreaterThanOrEqual(map.x);
      expect(inner.x + inner.width).toBeLessThanOrEqual(map.x + map.width);
      expect(inner.y).toBeGreaterThan(map.y);
      expect(inner.y + inner.height).toBeLessThanOrEqual(map.y + map.height);
    }
    // The flow reads downwards.
    const y = (n: string) => byName.get(n)!.y;
    expect(y('Receive order')).toBeLessThan(y('Who is this order for'));
    expect(y('Who is this order for')).toBeLessThan(y('Partner organization'));
    expect(y('Set up services')).toBeLessThan(y('Render order summary'));
    expect(y('Complete order')).toBeLessThan(y('Order provisioned'));
    // The start sits in the first row.
    expect(y('Receive order')).toBe(Math.min(...top.map((n) => n.y)));
    expect(layout.width).toBeGreaterThan(0);
  });

  it('marks loops (reminder → wait again) as back edges and error paths as catch edges', () => {
    const { edges } = layoutStateMachine(def);
    const loop = edges.find(
      (e) => e.from === 'Remind: partner organization' && e.to === 'Partner organization',
    );
    expect(loop?.back).toBe(true);
    // A timeout becomes a reminder; an expired order ends through Expire order.
    const timeout = edges.find(
      (e) => e.from === 'Partner organization' && e.to === 'Remind: partner organization',
    );
    expect(timeout?.kind).toBe('catch');
    const expired = edges.find((e) => e.from === 'Remind: partner organization' && e.to === 'Expire order');
    expect(expired?.kind).toBe('catch');
    // Nothing catches a task's error into a failure handler: the failed task ends the run.
    expect(edges.filter((e) => e.from === 'Receive order').map((e) => e.to)).toEqual([
      'Who is this order for',
    ]);
    expect(allStateNames(def)).not.toContain('Record failure');
    expect(
      edges.find((e) => e.from === 'Order for whom?' && e.to === 'Hand off to another person')?.kind,
    ).toBe('choice');
  });

  it('highlights the path taken and the current step of a waiting run', () => {
    const trace = traceRun(waitingHistory().events);
    const svg = renderStateMachineSvg(
      def,
      { visited: trace.visited, taken: trace.taken, current: new Set(trace.current), failed: new Set() },
      'graph',
    );
    expect(stateClass(svg, 'Receive order')).toContain('visited');
    expect(stateClass(svg, 'Partner organization')).toContain('current');
    expect(stateClass(svg, 'Customer organization')).toContain('not-visited');
    expect(svg).toMatch(
      /class="edge next taken"[^>]*>\s*<title>Receive order → Who is this order for — taken/,
    );
  });

  it('shows the failed task in red, at the end of the path taken', () => {
    const trace = traceRun(failedHistory().events);
    const svg = renderStateMachineSvg(
      def,
      {
        visited: trace.visited,
        taken: trace.taken,
        current: new Set(),
        failed: new Set([trace.failedStep!.name]),
      },
      'graph',
    );
    expect(stateClass(svg, 'Map partner organization')).toContain('failed');
    expect(svg).toContain('Map partner organization (Task) — failed here');
    expect(trace.taken.has(transitionKey('Partner: map or create?', 'Map partner organization'))).toBe(true);
    // Nothing after it ran: the run ended at the failed task.
    expect(stateClass(svg, 'Customer organization')).toContain('not-visited');
    expect(stateClass(svg, 'Order expired')).not.toContain('failed');
  });

  it('knows which Map contains an inner state', () => {
    expect(containingMap(def, 'Provision Webex Calling')).toBe('Set up services');
    expect(containingMap(def, 'Receive order')).toBeUndefined();
  });

  it('escapes state names', () => {
    const svg = renderStateMachineSvg(
      parseAsl(JSON.stringify({ StartAt: '<b>&', States: { '<b>&': { Type: 'Succeed' } } })),
      none,
      '<title>',
    );
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;b&gt;&amp;');
  });
});
