import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instrumentDynamodb } from '../../../functions/shared/clients/dynamodb';
import { OrderNotFoundError } from '../../../functions/shared/errors';
import { webexPrecheck } from '../../../functions/webex-precheck/handler';
import { uniqueOrderId } from '../../fixtures/orders';
import { startLocalTable, type LocalTable } from '../support/local-table';
import { startTestWebex, type TestWebex } from '../support/local-webex';

// The WebexPrecheck function takes what the setup page already read of the order (its customer
// organization) instead of reading the order again; without it, it reads the order itself.

let table: LocalTable;
let webex: TestWebex;
beforeAll(async () => {
  table = await startLocalTable();
  webex = await startTestWebex();
});
afterAll(async () => {
  await webex.stop();
  await table.stop();
});

/** The DynamoDB requests `run` sends, by command. */
async function requestsOf<T>(run: () => Promise<T>): Promise<{ result: T; sent: string[] }> {
  const sent: string[] = [];
  const remove = instrumentDynamodb((client) =>
    client.middlewareStack.add(
      (next, context) => async (args) => {
        sent.push(context.commandName ?? '?');
        return next(args);
      },
      { step: 'initialize', name: 'precheckCount' },
    ),
  );
  try {
    return { result: await run(), sent };
  } finally {
    remove();
  }
}

const badSite = [{ siteName: 'Not_Valid', timeZone: 'UTC' }];

describe('WebexPrecheck', () => {
  it('with the customer organization the page read, asks Webex and reads nothing', async () => {
    const { result, sent } = await requestsOf(() =>
      webexPrecheck({
        service: 'meetings',
        // No such order is stored: only the page's read is used.
        orderId: uniqueOrderId(),
        customerOrg: { orgId: 'c-precheck' },
        sites: badSite,
      }),
    );
    expect(sent).toEqual([]);
    expect(result.issues).toEqual([
      {
        field: 'sites[0].siteName',
        message: "Site name 'Not_Valid' is not valid: 3-40 lowercase letters, digits and single hyphens",
      },
    ]);
  });

  it('without it, reads the order (a missing one is OrderNotFoundError)', async () => {
    const { result, sent } = await requestsOf(() =>
      webexPrecheck({ service: 'meetings', orderId: uniqueOrderId(), sites: badSite }).catch(
        (e: unknown) => e,
      ),
    );
    expect(result).toBeInstanceOf(OrderNotFoundError);
    expect(sent).toEqual(['GetItemCommand']);
  });
});
