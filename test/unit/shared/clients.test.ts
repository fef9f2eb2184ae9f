import { afterEach, describe, expect, it } from 'vitest';
import { dynamodb, resetClients, s3 } from '../../../functions/shared/clients';
import { clientOptions } from '../../../functions/shared/clients/credentials';
import { saveEnvironment } from '../support/environment';

const restore = saveEnvironment();
afterEach(() => {
  restore();
  resetClients();
});

describe('AWS clients', () => {
  it('talk to AWS with the default credentials when no endpoint is configured', () => {
    expect(clientOptions(undefined)).toEqual({ region: 'us-east-1' });
  });

  it('talk to an emulator with dummy credentials when an endpoint is configured', () => {
    expect(clientOptions('http://127.0.0.1:4567', 'S3RVER')).toEqual({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:4567',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'local' },
    });
  });

  it('are created once and created again after a reset with the new endpoint', async () => {
    process.env.DYNAMODB_ENDPOINT = 'http://127.0.0.1:4001';
    resetClients();
    const first = dynamodb();
    expect(dynamodb()).toBe(first);

    process.env.DYNAMODB_ENDPOINT = 'http://127.0.0.1:4002';
    resetClients();
    const second = dynamodb();

    expect(second).not.toBe(first);
    const endpoint = await second.config.endpoint?.();
    expect(endpoint?.port).toBe(4002);
  });

  it('address s3rver path-style', async () => {
    process.env.S3_ENDPOINT = 'http://127.0.0.1:4569';
    resetClients();

    expect(s3().config.forcePathStyle).toBe(true);
  });
});
