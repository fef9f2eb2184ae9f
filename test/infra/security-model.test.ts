import { describe, expect, it } from 'vitest';
import { ALL_FUNCTIONS } from '../../functions/registry';
import { defaultApp } from './synth-app.fixture';

// The security model of docs/deploy.md, read from both synthesized templates.

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

const app = defaultApp();
const templates = { stateful: app.statefulTemplate, workflow: app.workflowTemplate };

function functionsOf(template: (typeof templates)['workflow']) {
  const resources = template.toJSON().Resources as Resources;
  return Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function');
}

function environmentOf(fn: Resources[string]): Record<string, unknown> {
  return (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
}

describe('X-Ray traces hold no setup link and no personal data', () => {
  it('turns off response capture in every function of both stacks', () => {
    let count = 0;
    for (const template of Object.values(templates)) {
      for (const [id, fn] of functionsOf(template)) {
        expect(environmentOf(fn).POWERTOOLS_TRACER_CAPTURE_RESPONSE, id).toBe('false');
        count++;
      }
    }
    expect(count).toBe(ALL_FUNCTIONS.length);
  });

  it('records error text only for functions whose errors hold no link, address or name', () => {
    const capturing: string[] = [];
    for (const template of Object.values(templates)) {
      for (const [id, fn] of functionsOf(template)) {
        const value = environmentOf(fn).POWERTOOLS_TRACER_CAPTURE_ERROR;
        expect(['true', 'false'], id).toContain(value);
        if (value === 'true') capturing.push(id.replace(/[0-9A-F]{8}$/, ''));
      }
    }
    // The public function, the email senders and the Webex callers are not among them.
    expect(capturing.sort()).toEqual(['Intake', 'ReceiveOrder', 'RenderSummary']);
  });
});
