import { getConfig } from '../config';

/**
 * Client options for one service: on AWS nothing is overridden; with an endpoint configured
 * (embedded runtime, tests) the client talks to that emulator with dummy credentials, which the
 * emulators require to be present but never check.
 */
export function clientOptions(endpoint: string | undefined, accessKeyId = 'local') {
  const { AWS_REGION } = getConfig();
  if (!endpoint) return { region: AWS_REGION };
  return {
    region: AWS_REGION,
    endpoint,
    credentials: { accessKeyId, secretAccessKey: 'local' },
  };
}
