import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Tags, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readSettings } from './settings';
import { StatefulStack } from './stateful.stack';
import { WorkflowStack } from './workflow.stack';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface ProvisioningApp {
  app: App;
  stateful: StatefulStack;
  workflow: WorkflowStack;
}

/**
 * The whole CDK app: both stacks, tagged, with cdk-nag's AwsSolutions pack as a validation
 * plugin (a finding that is not acknowledged with a reason fails the synth). Tests build it with
 * their own context, e.g. bundling turned off.
 */
export function createApp(props: AppProps = {}): ProvisioningApp {
  const app = new App(props);
  const settings = readSettings(app.node);

  // No account or region: the templates are environment-agnostic, so synth needs no
  // credentials; `cdk deploy` takes them from the caller's profile.
  const stateful = new StatefulStack(app, `${settings.stackPrefix}-Stateful`, {
    description:
      'Subscription provisioning: table, documents bucket, signing key, Webex credentials (retained)',
  });
  const workflow = new WorkflowStack(app, `${settings.stackPrefix}-Workflow`, {
    description: 'Subscription provisioning: functions, state machine, event bus, setup pages API, alarms',
    projectRoot: PROJECT_ROOT,
    settings,
    table: stateful.data.table,
    bucket: stateful.data.bucket,
    signingSecret: stateful.data.signingSecret,
    webexSecret: stateful.data.webexSecret,
  });
  workflow.addStackDependency(stateful);

  for (const stack of [stateful, workflow]) Tags.of(stack).add('project', 'subscription-provisioning');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stateful, workflow };
}
