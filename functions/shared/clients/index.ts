import { resetConfig } from '../config';
import { resetDynamodb } from './dynamodb';
import { resetEventBridge } from './eventbridge';
import { resetS3 } from './s3';
import { resetSecretsManager } from './secrets-manager';
import { resetSes } from './ses';
import { resetSfn } from './sfn';

export { dynamodb } from './dynamodb';
export { eventBridge } from './eventbridge';
export { s3 } from './s3';
export { ses } from './ses';
export { sfn } from './sfn';

/** Forget the configuration and every client, so the next use reads the environment again. */
export function resetClients(): void {
  resetConfig();
  resetDynamodb();
  resetEventBridge();
  resetS3();
  resetSes();
  resetSecretsManager();
  resetSfn();
}
