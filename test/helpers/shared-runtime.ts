import { inject } from 'vitest';
import { attachToRuntime, type AttachedRuntime } from './test-runtime';
import type { SharedRuntimeInfo } from './shared-runtime.global';

// The runtime shared by the test files that need no runtime of their own (no faults, knobs,
// intercepts, restarts or clock of their own): started once per `vitest run` in vitest's main
// process (shared-runtime.global.ts), reached from here over HTTP and the AWS SDK only.
//
//   const rt = await useSharedRuntime();   // in beforeAll
//   ...                                    // unique order ids and contacts: others use it too
//   rt.close();                            // in afterAll; the runtime stops after the run
//
// Files that share it keep to their own data: fresh order ids (uniqueOrderId), their own contacts,
// and no assertion on what the whole runtime holds (every order, every email, every object).
// They end the runs they start (to completion, or cancelOrder): a run left waiting keeps its task
// timer in the interpreter, which holds vitest's main process until its teardown gives up.
// test/integration/shared-runtime.test.ts checks the arrangement itself.

export interface SharedRuntime extends AttachedRuntime {
  dataDir: string;
  /** The demo directory was loaded when the shared runtime started. */
  seeded: boolean;
}

export async function useSharedRuntime(): Promise<SharedRuntime> {
  const broker = inject('sharedRuntimeBroker');
  if (!broker)
    throw new Error(
      'No shared runtime: test/helpers/shared-runtime.global.ts is not a globalSetup of this vitest project',
    );
  const res = await fetch(`${broker}/runtime`);
  if (!res.ok) throw new Error(await res.text());
  const info = (await res.json()) as SharedRuntimeInfo;
  return { ...attachToRuntime(info.dataDir), dataDir: info.dataDir, seeded: info.seeded };
}
